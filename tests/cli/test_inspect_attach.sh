# Content checks in attachments and an office's own word list (issue 13):
# /at/ of tools/sitegen.c links a .docx, a .xlsx and a .pdf (a hand-written
# text stream) holding a valid ID number, a mobile number and an ID number
# whose check digit is wrong; a link that is a .xlsx by its Content-Type
# only; and a .docx of 10,001 entries (a zip bomb's shape, not read).
# Findings name the attachment, the page linking it, the masked value and
# a snippet.  The office's word list comes from --words or the site
# config's wording line.

. "$KP_ROOT/tests/lib/sitegen.sh"
A="（附件，链接它的页面：$S/at/index.html）"
pii() { jq -c '[.findings[] | select(.check == "content.pii") | [.message, .evidence.url]]' _out; }

run inspect "$S/at/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --json
expect_status 1 "the /at/ site is inspected (with findings)"
want=$(jq -cn --arg a "$A" --arg s "$S" '[
  ["附件公开了公民身份号码 1101**********1239" + $a, $s + "/at/files/mdb.docx"],
  ["附件公开了公民身份号码 3201**********4563" + $a, $s + "/at/files/mdb.xlsx"],
  ["附件公开了公民身份号码 4403**********7897" + $a, $s + "/at/files/mdb.pdf"],
  ["附件公开了手机号码 135****4444" + $a, $s + "/at/down.aspx?id=2"],
  ["附件公开了手机号码 136****3333" + $a, $s + "/at/files/mdb.pdf"],
  ["附件公开了手机号码 137****2222" + $a, $s + "/at/files/mdb.xlsx"],
  ["附件公开了手机号码 139****1111" + $a, $s + "/at/files/mdb.docx"]]')
check test "$(pii)" = "$want" -- "seven findings: the valid ID and the mobile number of the .docx (split over two runs), the .xlsx (a shared string, a number cell), the .pdf, and the mobile number of a link that is a .xlsx by its Content-Type"
has '[.findings[] | select(.message | test("1230|4560|7890|9999"))] == []' \
  "no finding for the IDs whose check digit is wrong, nor for the 10,001-entry .docx (not read)"
has '[.findings[] | select(.check == "content.pii") | .severity] | unique == ["一般", "严重"]' "ID numbers 严重, mobile numbers 一般"
has '[.findings[] | select(.evidence.url | endswith("mdb.docx")) | .evidence.snippet] | first == "救助对象名单 张三 身份证号 1101**********1239 联系电话 *****0011"' \
  "the .docx finding's snippet: its text around the number, every long number masked"
has '[.findings[] | select(.evidence.url | endswith("mdb.pdf")) | .evidence.snippet] | first | test("ID 4403\\*{10}7897 Tel")' \
  "the .pdf finding's snippet: pdftotext's text, masked"
has '[.findings[] | select(.check == "content.wording")] == []' "no wording finding without the office's list"
has '[.attachments.read, (.attachments.not_read | map(.url | sub(".*/"; "")))] == [4, ["many.docx"]]' \
  "the JSON counts four attachments read and names the one not read"
has '.attachments.not_read[0].why | test("文件过多")' "…saying why (too many entries)"

run inspect "$S/at/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --json --attach-max 0
has '[.findings[] | select(.check == "content.pii")] == []' "--attach-max 0: attachments are not read"
run inspect "$S/at/index.html" --attach-max 2000
expect_status 2 "--attach-max over its bound exits 2"

# ---- the office's word list ----------------------------------------------------
cat > words.csv <<'W'
wrong,correct,note
# 本单位维护的词表
青岚市政府办公厅,青岚市人民政府办公室,本市机构名称
青岚市大数据局,青岚市大数据发展管理局,本市机构名称
W
run inspect "$S/at/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --json --words words.csv
has "[.findings[] | select(.check == \"content.wording\") | [.message, .evidence.url]] == [[\"严重表述错误：“青岚市政府办公厅”应为“青岚市人民政府办公室（本市机构名称）”\", \"$S/at/index.html\"], [\"严重表述错误：“青岚市大数据局”应为“青岚市大数据发展管理局（本市机构名称）”$A\", \"$S/at/files/mdb.docx\"]]" \
  "--words: the office's words found with their correct forms, on the page and in the .docx"
has '[.findings[] | select(.check == "content.pii")] | length == 7' "…and the personal data still found"
mkdir -p cfg
cp words.csv cfg/office-words.csv
printf 'wording,office-words.csv\n' > cfg/site.csv
run inspect "$S/at/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --json --site-config cfg/site.csv
has '[.findings[] | select(.check == "content.wording") | .message | sub("（附件.*"; "")] == ["严重表述错误：“青岚市政府办公厅”应为“青岚市人民政府办公室（本市机构名称）”", "严重表述错误：“青岚市大数据局”应为“青岚市大数据发展管理局（本市机构名称）”"]' \
  "the site config's wording line (a file beside the config) does the same"
printf 'wrong,correct\nabc,def\n' > bad.csv
run inspect "$S/at/index.html" --as-of 2026-12-07 --words bad.csv
expect_status 2 "a word list with a line that is not Chinese exits 2"
expect_err "bad.csv:2: “abc”：每行应为“错误写法,正确写法[,说明]”" "…naming the file and line"
