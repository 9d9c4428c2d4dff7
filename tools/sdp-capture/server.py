# Tiny 127.0.0.1-only server for the capture pages: GET serves the working directory's files first (the offers
# Gen*.java wrote, answers/ from answerer.sh), then the pages beside this script; POSTed bodies are stored in out/
# of the working directory. Usage (from the working directory): python3 <this folder>/server.py 8765
import http.server, sys, os
PAGES = os.path.dirname(os.path.abspath(__file__))
class H(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        local = super().translate_path(path)
        if os.path.exists(local):
            return local
        return os.path.join(PAGES, os.path.relpath(local, os.getcwd()))
    def do_POST(self):
        n = int(self.headers.get('Content-Length', 0))
        body = self.rfile.read(n)
        name = os.path.basename(self.path.strip('/')) or 'post'
        with open(os.path.join('out', name), 'wb') as f:
            f.write(body)
        self.send_response(200); self.send_header('Content-Length','0'); self.end_headers()
os.makedirs('out', exist_ok=True)
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
