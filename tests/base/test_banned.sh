# Functions kaoping does not use, checked over every source file (git's
# banned.h habit, as a test so that system headers are not disturbed):
# they overflow buffers, cannot report errors, or read past unterminated
# bytes from outside.  Use snprintf, kp_buf, kp_digits, strtol instead.
banned='\b(strcpy|strcat|sprintf|vsprintf|gets|strncpy|strncat|atoi|atol|atof|strtok)[[:space:]]*\('
hits=$(cd "$KP_ROOT" && grep -rnE "$banned" src tools --include='*.c' --include='*.h' | grep -vE '\b(snprintf|vsnprintf)\(')
if [ -z "$hits" ]; then _ok "no banned function in src/ or tools/"; else
  echo "$hits" >_out; _notok "banned functions used (see stdout)"; fi
