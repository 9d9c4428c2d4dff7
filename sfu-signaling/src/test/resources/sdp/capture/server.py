# Tiny 127.0.0.1-only server: serves static files and stores POSTed bodies as files.
import http.server, sys, os
class H(http.server.SimpleHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0))
        body = self.rfile.read(n)
        name = os.path.basename(self.path.strip('/')) or 'post'
        with open(os.path.join('out', name), 'wb') as f:
            f.write(body)
        self.send_response(200); self.send_header('Content-Length','0'); self.end_headers()
os.makedirs('out', exist_ok=True)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
