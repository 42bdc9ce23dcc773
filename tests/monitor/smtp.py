# An SMTP receiver for tests/cli/test_monitor.sh (no TLS, no login):
# takes every message and appends it, decoded, as one JSON line
# {"from", "to", "subject", "body"} to LOGFILE; writes its port to
# PORTFILE; exits after 300 s at most.
#   python3 smtp.py PORTFILE LOGFILE
import email, email.header, email.policy, json, os, signal, socketserver, sys


class H(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write((line + '\r\n').encode())

    def handle(self):
        self.say('220 test SMTP')
        frm, to = '', []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode('utf-8', 'replace').strip()
            verb = cmd[:4].upper()
            if verb in ('EHLO', 'HELO'):
                self.say('250 test')
            elif verb == 'MAIL':
                frm, to = cmd.split(':', 1)[1].strip(' <>'), []
                self.say('250 ok')
            elif verb == 'RCPT':
                to.append(cmd.split(':', 1)[1].strip(' <>'))
                self.say('250 ok')
            elif verb == 'DATA':
                self.say('354 go on')
                data = b''
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b'.\r\n', b'.\n'):
                        break
                    if l.startswith(b'..'):
                        l = l[1:]
                    data += l
                m = email.message_from_bytes(data, policy=email.policy.default)
                with open(sys.argv[2], 'a', encoding='utf-8') as f:
                    f.write(json.dumps({'from': frm, 'to': to,
                                        'subject': str(m['subject']),
                                        'body': m.get_content()},
                                       ensure_ascii=False) + '\n')
                self.say('250 queued')
            elif verb == 'QUIT':
                self.say('221 bye')
                return
            else:
                self.say('250 ok')


signal.alarm(300)
s = socketserver.TCPServer(('127.0.0.1', 0), H)
with open(sys.argv[1] + '.tmp', 'w') as f:
    f.write(str(s.server_address[1]) + '\n')
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
s.serve_forever()
