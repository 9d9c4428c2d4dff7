// Prism demo: the "Share screen" button and the stage that shows a shared screen large, above the participants'
// tiles (which then shrink to a strip). Built only on the public SDK: shareScreen(), stopScreenShare(), and track
// objects whose `source` is 'screen'.
//
// For automated browser tests: #btn-screen (data-sharing 'true' | 'false'); #screen-stage shows the screen it
// plays with data-participant-id, data-track-id and data-received = 'WIDTHxHEIGHT' once frames are decoded.

const ICON = '<svg viewBox="0 0 24 24"><rect x="2.5" y="4" width="19" height="13" rx="2"/><path d="M8 21h8M12 17v4M9 10.5l3-3 3 3M12 7.5V14"/></svg>';
const RECEIVED_POLL_MS = 1000;

export class ScreenStage {
  /**
   * @param {{stage: HTMLElement, button: HTMLButtonElement, onLayout: () => void, onStatus: (text: string) => void}} ui
   *   `onLayout` after the stage shows or hides (the tiles' room changes), `onStatus` for a failure to show
   */
  constructor({ stage, button, onLayout, onStatus }) {
    this.stage = stage;
    this.button = button;
    this.onLayout = onLayout;
    this.onStatus = onStatus;
    this.client = null;
    /** The remote screen tracks subscribed, latest last: the last one is shown. */
    this.screens = [];
    this.video = document.createElement('video');
    this.video.autoplay = true;
    this.video.playsInline = true;
    this.video.muted = true; // its audio, if any, plays through the tile's <audio> elements
    this.label = document.createElement('div');
    this.label.className = 'nameplate';
    this.stage.append(this.video, this.label);
    this.button.querySelector('.icon').innerHTML = ICON;
    this.button.addEventListener('click', () => this.toggle());
    setInterval(() => this.showReceived(), RECEIVED_POLL_MS);
  }

  /** Follows a client's screens; call before it connects. */
  wire(client) {
    this.client = client;
    client.on('stateChanged', (state) => this.renderButton(state));
    client.on('trackSubscribed', (track, participant) => {
      if (track.source !== 'screen') return;
      this.screens = this.screens.filter((s) => s.track.id !== track.id).concat({ track, participant });
      this.render();
    });
    const gone = (track) => {
      if (track.source === 'screen' && this.screens.some((s) => s.track.id === track.id)) {
        this.screens = this.screens.filter((s) => s.track.id !== track.id);
        this.render();
      }
    };
    client.on('trackUnsubscribed', gone);
    client.on('trackUnpublished', (track, participant) => {
      gone(track);
      if (participant.isLocal) this.renderButton(client.state); // the browser's own "Stop sharing"
    });
    client.on('disconnected', () => {
      this.screens = [];
      this.render();
    });
  }

  async toggle() {
    const client = this.client;
    if (!client) return;
    this.button.disabled = true;
    try {
      if (client.isSharingScreen()) await client.stopScreenShare();
      else await client.shareScreen();
    } catch (e) {
      if (e.cause?.name !== 'NotAllowedError') this.onStatus(`Screen share: ${e.message}`); // else: picker cancelled
    } finally {
      this.renderButton(client.state);
    }
  }

  renderButton(state) {
    const sharing = !!this.client?.isSharingScreen();
    const canPublish = this.client?.localParticipant?.canPublish !== false;
    this.button.disabled = state !== 'connected' || !canPublish || !navigator.mediaDevices?.getDisplayMedia;
    this.button.dataset.sharing = String(sharing);
    this.button.classList.toggle('active', sharing);
    this.button.setAttribute('aria-pressed', String(sharing));
    const text = sharing ? 'Stop sharing' : 'Share screen';
    this.button.querySelector('.label').textContent = text;
    this.button.title = text;
  }

  /** Shows the latest remote screen large, or hides the stage. */
  render() {
    const shown = this.screens.at(-1);
    const track = shown?.track.mediaStreamTrack;
    if (!shown || !track) {
      this.video.srcObject = null;
      delete this.stage.dataset.trackId;
      delete this.stage.dataset.participantId;
      delete this.stage.dataset.received;
    } else if (this.stage.dataset.trackId !== shown.track.id) {
      this.stage.dataset.trackId = shown.track.id;
      this.stage.dataset.participantId = shown.participant.id;
      this.stage.dataset.received = 'none';
      this.video.srcObject = new MediaStream([track]);
      this.video.play().catch(() => {});
      this.label.textContent = `${shown.participant.name}'s screen`;
    }
    const visible = !!(shown && track);
    if (this.stage.hidden === !visible) return;
    this.stage.hidden = !visible;
    document.body.classList.toggle('presenting', visible);
    this.onLayout();
  }

  /** The decoded size of the shown screen, for people and tests. */
  showReceived() {
    if (this.stage.hidden || this.video.videoWidth === 0) return;
    this.stage.dataset.received = `${this.video.videoWidth}x${this.video.videoHeight}`;
  }
}
