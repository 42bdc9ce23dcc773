# A webhook receiver for tests/cli/test_monitor.sh: answers every POST
# with 200 and appends its body (one JSON object) as a line to LOGFILE;
# writes its port to PORTFILE; exits after 300 s at most.
#   python3 webhook.py PORTFILE LOGFILE
import http.server, signal, sys

class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0))
        body = self.rfile.read(n).decode('utf-8')
        with open(sys.argv[2], 'a', encoding='utf-8') as f:
            f.write(body.replace('\n', ' ') + '\n')
        self.send_response(200)
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'ok')
    def log_message(self, *a):
        pass

signal.alarm(300)
s = http.server.HTTPServer(('127.0.0.1', 0), H)
with open(sys.argv[1] + '.tmp', 'w') as f:
    f.write(str(s.server_address[1]) + '\n')
import os; os.rename(sys.argv[1] + '.tmp', sys.argv[1])
s.serve_forever()
