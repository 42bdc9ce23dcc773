# A homepage whose footer is written by same-site scripts (issue 13): the
# crawler fetches the scripts the homepage loads, decodes each in its
# <script charset> (gb2312 here, the server names none, the page is
# UTF-8), and the footer is read from what they document.write — against
# /fs/ of tools/sitegen.c.

. "$KP_ROOT/tests/lib/sitegen.sh"
run inspect "$S/fs/index.html" --as-of 2026-12-07 --timeout 2 --retries 0 --json
expect_status 1 "the /fs/ site is inspected (with findings)"

has '.footer.site_id_code == "4303000006"' "网站标识码 from the gb2312 script's document.write"
has '.footer.icp == "湘ICP备05003517号"' "the ICP number from the script"
has '.footer.police_record == "湘公网安备 43030202000133号"' "the 公安 record number from the script"
has '.footer.sponsor == "湘潭市人民政府办公室"' "the sponsor, decoded as gb2312 and stopped at 承办"
has '.footer.party_gov_mark == true' "the 党政机关 mark written through unescape by a second script"
has ".footer.from_script == \"$S/fs/js/foot.js\"" "the JSON names the script the footer came from"
has "[.findings[] | select(.check == \"footer.elements\" and .severity == \"提示\") | .message] == [\"首页底部信息由脚本 $S/fs/js/foot.js 写出（已读取其中的文字）\"]" \
  "a finding says the footer came from the script"
has '[.findings[] | select(.message | test("网站标识码|ICP|公安|主办|党政机关"))] | map(select(.severity != "提示")) == []' \
  "no finding calls the script-written elements missing"
