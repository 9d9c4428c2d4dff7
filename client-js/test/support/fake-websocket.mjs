// A scripted signaling socket for the SDK's node tests: records what the client sends (parsed), lets the test open
// it, push server messages and close it from the server side. FakeWebSocket.last is the most recent instance.
export class FakeWebSocket {
  static last = null;

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeWebSocket.last = this;
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close() {
    this.readyState = 3;
    this.onclose?.({ code: 1000, reason: '', wasClean: true });
  }

  open() {
    this.readyState = 1;
    this.onopen?.();
  }

  serverSend(message) {
    this.onmessage({ data: JSON.stringify(message) });
  }

  serverClose(code, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean: false });
  }

  ofType(type) {
    return this.sent.filter((m) => m.type === type);
  }
}
