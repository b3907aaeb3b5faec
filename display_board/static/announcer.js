/* Call announcements: one after another, never overlapping.
 *
 * Each announcement is one WAV the hub joins from the call's clips
 * (GET /voice/say.wav?clips=chime,qing,A,...), fetched when its turn comes and played
 * `repeat` times. A clip that fails to load, or audio the browser refuses to play
 * (autoplay policy), never blocks the queue: the announcement is skipped and logged.
 */

const global = window;
var MAX_WAITING = 20;
// If "ended" never comes (a broken device, a stalled decoder), give up after this long.
var LONGEST_MS = 30000;

function Announcer(options) {
  options = options || {};
  this.url = options.url || "/voice/say.wav";
  this.onBlocked = options.onBlocked || function () {};
  this.waiting = [];
  this.busy = false;
  this.blocked = false;
  this.audio = new global.Audio();
  this.audio.preload = "auto";
  this.log = []; // {ticket, window, clips, requested, started, ended, error}
}

Announcer.prototype.say = function (call, repeat) {
  if (!call || !call.voice || !call.voice.length) return;
  if (this.waiting.length >= MAX_WAITING) this.waiting.shift(); // the oldest is stale by now
  this.waiting.push({
    ticket: call.ticket,
    window: call.window,
    recall: !!call.recall,
    clips: call.voice.slice(),
    repeat: Math.max(1, Math.min(5, repeat || 1))
  });
  this._next();
};

Announcer.prototype.idle = function () {
  return !this.busy && this.waiting.length === 0;
};

Announcer.prototype._next = function () {
  if (this.busy || !this.waiting.length) return;
  this.busy = true;
  var self = this;
  var item = this.waiting.shift();
  var entry = {
    ticket: item.ticket, window: item.window, recall: item.recall, clips: item.clips,
    repeat: item.repeat, requested: performance.now(), started: null, ended: null, error: null
  };
  this.log.push(entry);
  if (this.log.length > 100) this.log.shift();
  var src = this.url + "?clips=" + item.clips.map(encodeURIComponent).join(",");
  var objectUrl = null;
  global.fetch(src)
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.blob();
    })
    .then(function (blob) {
      objectUrl = URL.createObjectURL(blob);
      entry.started = performance.now();
      var rounds = Promise.resolve();
      for (var i = 0; i < item.repeat; i++) {
        rounds = rounds.then(function () { return self._playOnce(objectUrl); });
      }
      return rounds;
    })
    .catch(function (err) { entry.error = String(err && err.message || err); })
    .then(function () {
      entry.ended = performance.now();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      self.busy = false;
      self._next();
    });
};

Announcer.prototype._playOnce = function (src) {
  var audio = this.audio;
  var self = this;
  return new Promise(function (resolve, reject) {
    var guard = null;
    function done(err) {
      audio.onended = audio.onerror = audio.onloadedmetadata = null;
      if (guard) global.clearTimeout(guard);
      if (err) reject(err); else resolve();
    }
    guard = global.setTimeout(function () { done(new Error("no end of playback")); }, LONGEST_MS);
    audio.onended = function () { done(null); };
    audio.onerror = function () { done(new Error("audio cannot be decoded")); };
    audio.onloadedmetadata = function () {
      if (isFinite(audio.duration)) {
        global.clearTimeout(guard);
        guard = global.setTimeout(function () { done(new Error("no end of playback")); },
          audio.duration * 1000 + 3000);
      }
    };
    audio.src = src;
    var playing = audio.play();
    if (playing && playing.catch) {
      playing.then(function () {
        if (self.blocked) { self.blocked = false; self.onBlocked(false); }
      }).catch(function (err) {
        if (err && err.name === "NotAllowedError") {
          self.blocked = true;
          self.onBlocked(true);
        }
        done(err);
      });
    }
  });
};

/* A click on the page is the user gesture browsers want before they play sound (the
   activation is sticky for the page); kiosk boards are started with
   --autoplay-policy=no-user-gesture-required and never need it. */
Announcer.prototype.unlock = function () {
  if (!this.blocked) return;
  this.blocked = false;
  this.onBlocked(false);
};

export { Announcer };
