// The upload page: plain browser JavaScript, no build step. For each chosen photo: ask POST /uploads for a signed
// URL, PUT the file there (S3 on AWS, this server locally) with a progress bar, then poll GET /images/{key} until the
// photo is processed (show the thumbnail) or rejected (show why). Below, a gallery of recent images.
// Many photos at once go a few at a time: on AWS, API Gateway throttles the stage (10 requests a second, bursts of 20,
// by default) and S3 refuses a PUT that starts after its URL expired, so a photo asks for its URL just before its PUT.
'use strict';

const POLL_MS = 1000;
const POLL_LIMIT_MS = 120000;
const GALLERY_PAGE = 24;
// photos between asking for a URL and the end of their PUT; the browser would queue more PUTs per host anyway
const PARALLEL_UPLOADS = 3;
// the waits before each new try of an API call or a PUT that was throttled (429) or found the service busy (503)
const BUSY_RETRY_MS = [1000, 2000, 4000, 8000, 15000];
// while photos are still uploading, the gallery is reloaded at most this often (each reload asks for its thumbnails)
const GALLERY_RELOAD_MS = 5000;
// the waits before each new try of a thumbnail that did not load: about two minutes in all
const THUMBNAIL_RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000, 60000];
// A photo that could not reach the server at all (the network dropped, the server stopped) pauses the queue: the photos
// behind it would fail the same way within milliseconds, each then needing its own Retry. They wait instead, and the
// page asks the server again after these waits (the last one repeated) and goes on once it answers.
const RECONNECT_MS = [2000, 4000, 8000, 16000, 30000];
// A check of the server that gets no answer for this long counts as no answer (a stalled connection would otherwise
// keep the queue paused, 'trying again now', for as long as the browser waits).
const RECONNECT_CHECK_MS = 10000;
// A PUT that shows no sign of life is given up, so that it does not hold its slot while the browser waits, for many
// minutes or for ever, on a connection that stalled without an error (a mobile network that dropped it, a proxy or
// server that stopped reading): while the body is being sent, no progress for this long fails the photo (it can be
// retried) ...
const PUT_STALL_MS = 30000;
// ... and once the browser has handed over the whole body, no answer for this long ends the wait: S3 answers at once,
// the local route after processing the photo (20 s at most by default), but the browser counts bytes as sent once the
// network stack took them, and a slow link may still be carrying a few megabytes. The photo may have arrived, so the
// page then asks for its result as usual rather than calling it failed.
const PUT_ANSWER_MS = 120000;
// A file bigger than this asks for its ticket without its checksum first, and is read to checksum it only once the API
// took its size: reading a file whole (a video renamed .jpg, gigabytes) takes seconds and as much memory, enough to
// crash a phone's tab, only for the API to refuse it for its size. The limit is the server's (20 MB by default); the
// page does not know it, and a file this big costs one more call when it is allowed.
const ASK_BEFORE_READING_BYTES = 32 * 1024 * 1024;
// the browser sets these itself and refuses to let a script set them
const FORBIDDEN_HEADERS = new Set(['content-length', 'host']);
// what some Android pickers (image/jpg) and old browsers (image/pjpeg) call a JPEG: the API takes image/jpeg alone, and
// checks the content whatever the type says
const JPEG_ALIASES = new Set(['image/jpg', 'image/pjpeg']);

const statusLine = document.getElementById('status');
const uploads = document.getElementById('uploads');
const tokenInput = document.getElementById('token-input');
const retryAllButton = document.getElementById('retry-all');
const clearFinishedButton = document.getElementById('clear-finished');
let galleryCursor = null;
// each reload from the start counts up, so a page asked for before it is dropped rather than added to the new list
let galleryGeneration = 0;
// each reload from the start that is shown counts up: a next page belongs to the list it was asked for after, and one
// asked for while a reload was under way, answered after it, would skip what the reload pushed past its first page
let galleryShown = 0;
let loadingMore = false;
const waiting = [];
let transferring = 0;
let unfinished = 0;
// the rows of the photos chosen or tried again since the page last had none unfinished, for what is said at the end
const batch = new Set();
let galleryReload = null;
// rows in the order their photos were chosen, so that a photo put back in the queue keeps its place
let rowsAdded = 0;
// the rows that failed with a Retry button: row -> { file, button }
const retryable = new Map();
// while the server cannot be reached: { attempt, at (when the next ask is due), timer, ticker, asking }; else null
let reconnect = null;

// what is to be said at the end of this task, or null when nothing is
let announcing = null;

/**
 * Says this to a screen reader (the status line is a polite live region). What is said in the same task is said
 * together: each message replaced the one before, and a screen reader reads the region once the task is over, so
 * choosing photos among which some fail at once said the last failure alone, not "Uploading 8 photos" nor the other.
 */
function announce(message) {
  if (announcing === null) {
    announcing = [];
    queueMicrotask(() => {
      statusLine.textContent = announcing.join('. ');
      announcing = null;
    });
  }
  announcing.push(message);
}

function authHeaders() {
  const token = tokenInput.value.trim();
  return token ? { Authorization: 'Bearer ' + token } : {};
}

// What went wrong, in words: the API's problem detail, or for what API Gateway answers itself (its JWT authorizer's
// 401, its throttling's 429, both {"message": ...} and no problem detail) a sentence that says what to do.
async function problemText(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch (e) {
    // not JSON: the status says it all
  }
  if (problem && problem.detail) {
    return problem.detail;
  }
  if (response.status === 401) {
    document.getElementById('token-box').open = true;
    return tokenInput.value.trim()
      ? 'the access token was refused (it may have expired): paste a new one under "Access token"'
      : 'this deployment needs an access token: paste one under "Access token"';
  }
  return (problem && (problem.title || problem.message)) || ('HTTP ' + response.status);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * fetch, asked again after a while when API Gateway throttled the call or the service was busy. A call that reaches
 * no server fails saying so: the browser's own words ('Failed to fetch', 'NetworkError when attempting to fetch
 * resource.') do not tell a user what to do.
 */
async function apiFetch(url, options) {
  const unsendable = unsendableHeaders(options && options.headers);
  if (unsendable) {
    document.getElementById('token-box').open = true;
    throw new Error('the access token cannot be sent: it holds a character no token has (' + unsendable
        + '): paste it again under "Access token"');
  }
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      throw Object.assign(new Error('could not reach the server; check the connection and try again ('
          + error.message + ')'), { unreachable: true });
    }
    serverAnswers();
    if ((response.status !== 429 && response.status !== 503) || attempt >= BUSY_RETRY_MS.length) {
      return response;
    }
    const retryAfter = Number(response.headers.get('Retry-After'));
    await sleep(retryAfter > 0 ? retryAfter * 1000 : BUSY_RETRY_MS[attempt]);
  }
}

/**
 * Why the browser would refuse to send these headers, or null. A token pasted with a character no header can carry
 * (a typographic mark, a non-Latin letter) makes fetch reject before sending anything, as it does when no server
 * answers: taken for that, the queue waited for ever for a server that was there.
 */
function unsendableHeaders(headers) {
  try {
    // the same check fetch makes, without a call
    new Headers(headers);
    return null;
  } catch (error) {
    return error.message;
  }
}

/** The type the ticket is asked for with, and so the one its PUT sends (the ticket's headers name it). */
function contentTypeOf(file) {
  if (file.type) {
    return JPEG_ALIASES.has(file.type.toLowerCase()) ? 'image/jpeg' : file.type;
  }
  return /\.jpe?g$/i.test(file.name) ? 'image/jpeg' : 'application/octet-stream';
}

/**
 * Why the API would refuse this file, in words for the person who chose it (the API's are for whoever calls it:
 * "contentLength must be the file's size in bytes, at least 1, got 0"); null for a file it may take. The API still
 * decides what it takes: this only says it plainly, without a call.
 */
function plainRefusal(file) {
  if (file.size === 0) {
    return 'the file is empty (0 bytes)';
  }
  if (contentTypeOf(file).toLowerCase().trim() !== 'image/jpeg') {
    return 'not a JPEG photo (' + (file.type ? 'the file is ' + file.type : 'its name does not end in .jpg or .jpeg')
        + '): only JPEG photos are turned into thumbnails';
  }
  return null;
}

// base64 SHA-256 of the file, signed into the URL so the store checks the content; browsers offer it on https and
// localhost only, elsewhere the upload goes without
async function sha256(file) {
  if (!window.crypto || !crypto.subtle) {
    return null;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
  let binary = '';
  digest.forEach((byte) => { binary += String.fromCharCode(byte); });
  return btoa(binary);
}

/** A row for the photo, before the given one (the top of the list before the photos chosen with it). */
function addRow(file, before) {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.className = 'name';
  name.dir = 'auto'; // a right-to-left name reads in its own order
  name.textContent = file.name;
  const state = document.createElement('span');
  state.className = 'state';
  state.textContent = 'Waiting';
  const progress = document.createElement('progress');
  progress.max = 100;
  progress.value = 0;
  progress.setAttribute('aria-label', 'Upload of ' + file.name);
  item.append(name, state, progress);
  uploads.insertBefore(item, before);
  return {
    item,
    order: ++rowsAdded,
    setState(text, kind) {
      state.textContent = text;
      state.className = 'state' + (kind ? ' ' + kind : '');
    },
    setProgress(percent) {
      progress.value = percent;
    },
    done() {
      progress.remove();
    },
    /** Back to waiting, for another try. */
    reset() {
      this.setState('Waiting');
      progress.value = 0;
      state.after(progress);
    },
  };
}

/**
 * A "Retry" button on a failed photo's row: the photo goes back into the queue and asks for a new ticket (a ticket
 * uploads once), unless its PUT got no answer, when that PUT's URL is tried first (upload). Focus moves to the row,
 * as the button it was on goes.
 */
function offerRetry(file, row) {
  const button = rowButton(row, 'Retry', 'Retry ' + file.name, () => {
    retry(row);
    announce('Trying ' + file.name + ' again');
  });
  retryable.set(row, { file, button });
  showRetryAll();
}

/** A button on a photo's row; a click moves the focus to the row, since the button goes, and then does its work. */
function rowButton(row, text, label, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button secondary retry';
  button.textContent = text;
  button.setAttribute('aria-label', label);
  button.addEventListener('click', () => {
    row.item.tabIndex = -1;
    row.item.focus();
    onClick();
  });
  row.item.append(button);
  return button;
}

/** Shows why a photo failed in its row and says so. */
function showFailure(file, row, error) {
  row.outcome = 'failed';
  row.done();
  row.setState('Failed: ' + error.message, 'bad');
  announce(file.name + ' failed: ' + error.message);
}

/** Puts a failed photo back into the queue, without its Retry button. */
function retry(row) {
  const { file, button } = retryable.get(row);
  retryable.delete(row);
  button.remove();
  row.waitedForServer = false;
  row.reset();
  enqueue(file, row);
  showRetryAll();
}

/** "Retry all failed" is there while two or more photos have a Retry button; one has its own. */
function showRetryAll() {
  retryAllButton.hidden = retryable.size < 2;
  retryAllButton.textContent = 'Retry all failed (' + retryable.size + ')';
}

/**
 * Every failed photo that has a Retry button goes back into the queue, in the order they were chosen. The button
 * hides itself, so the focus moves to the first of their rows in the list.
 */
function retryAll() {
  const rows = Array.from(retryable.keys()).sort((first, second) => first.order - second.order);
  rows.forEach(retry);
  const items = new Set(rows.map((row) => row.item));
  const top = Array.from(uploads.children).find((item) => items.has(item));
  if (top) {
    top.tabIndex = -1;
    top.focus();
    announce('Trying ' + rows.length + (rows.length === 1 ? ' photo' : ' photos') + ' again');
  }
}

/**
 * Why the store refused a PUT: the local route's problem detail, or S3's error message (its error answers carry the
 * bucket's CORS headers, so the page can read them: 'Request has expired', 'SignatureDoesNotMatch''s sentence); empty
 * when the answer says nothing readable.
 */
function refusalText(responseText) {
  try {
    const problem = JSON.parse(responseText);
    if (problem && typeof problem.detail === 'string') {
      return problem.detail;
    }
  } catch (e) {
    // not JSON: S3 answers XML
  }
  const message = new DOMParser().parseFromString(responseText || '<none/>', 'application/xml')
    .querySelector('Error > Message');
  return message ? message.textContent.trim() : '';
}

/** A limit in ms: data-upload-*-seconds on <html> (set by tests only, the page has none) or the default. */
function limitMs(name, defaultMs) {
  const seconds = Number(document.documentElement.dataset[name]);
  return seconds > 0 ? seconds * 1000 : defaultMs;
}

/**
 * PUTs the file to the ticket's URL. Rejects when it is refused or fails, when it stalls while sending (PUT_STALL_MS
 * without progress) and when it is not answered in PUT_ANSWER_MS after its last byte (an Error with unanswered set:
 * the photo may have arrived); the last two abort it.
 */
function put(ticket, file, row) {
  return new Promise((resolve, reject) => {
    const stallMs = limitMs('uploadStallSeconds', PUT_STALL_MS);
    const answerMs = limitMs('uploadAnswerSeconds', PUT_ANSWER_MS);
    const xhr = new XMLHttpRequest();
    let watchdog = null;
    const giveUpAfter = (ms, error) => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        xhr.abort();
        reject(error);
      }, ms);
    };
    const sending = () => giveUpAfter(stallMs, new Error('the upload stalled: nothing was sent for '
        + stallMs / 1000 + ' seconds (the connection may have dropped)'));
    xhr.open(ticket.method, ticket.url);
    Object.entries(ticket.headers).forEach(([name, value]) => {
      if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) {
        xhr.setRequestHeader(name, value);
      }
    });
    xhr.upload.onprogress = (event) => {
      sending();
      if (event.lengthComputable) {
        row.setProgress(Math.round((event.loaded / event.total) * 100));
      }
    };
    xhr.upload.onload = () => giveUpAfter(answerMs, Object.assign(new Error('the upload was not answered within '
        + answerMs / 1000 + ' seconds'), { unanswered: true }));
    xhr.onload = () => {
      clearTimeout(watchdog);
      if (xhr.status >= 200 && xhr.status < 300) {
        row.setProgress(100);
        resolve();
      } else {
        const reason = refusalText(xhr.responseText);
        // read from the headers the response exposes: asking S3's answer for one its CORS rule does not expose logs
        // an error in the console
        const retryAfter = /^retry-after:\s*(\d+)\s*$/mi.exec(xhr.getAllResponseHeaders());
        // busy (S3's SlowDown, the local app's memory budget, each saying so): nothing was stored, the same URL may
        // be tried again; another 503 (a read-only data folder) would only fail again
        const busy = xhr.status === 429 || (xhr.status === 503
            && (retryAfter !== null || /<Code>SlowDown<\/Code>/.test(xhr.responseText)));
        reject(Object.assign(new Error('the upload was refused (HTTP ' + xhr.status + (reason ? ': ' + reason : '')
            + ')'), { busy, retryAfter: retryAfter ? Number(retryAfter[1]) : 0, status: xhr.status }));
      }
    };
    xhr.onerror = () => {
      clearTimeout(watchdog);
      // a dropped connection is what a person meets (a phone leaving Wi-Fi); CORS is for whoever set the storage up
      reject(new Error('the upload did not get through: the connection dropped, or the storage turned this page away '
          + '(CORS)'));
    };
    xhr.send(file);
    sending();
  });
}

/** A key as a URL path: each segment encoded, so '#', '?' and '%' in a key name the object, not a fragment. */
function keyPath(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}

// An <img> cannot send the Authorization header a JWT authorizer asks for. With a token the thumbnail is fetched
// instead (following the API's redirect to a presigned S3 GET; the browser drops the header on that cross-origin hop
// and the processed bucket's CORS rule lets the page read the answer) and shown from a blob: URL, revoked as soon as
// the image has decoded it so a reloaded gallery leaves nothing behind.
// A thumbnail that does not load is asked for again, a few times over about two minutes: with two regions, a record
// made in the other one arrives before S3 has replicated its thumbnail here (the API answers 404 until then).
async function showThumbnail(image, key, attempt = 0) {
  const url = 'thumbnails/' + keyPath(key) + (attempt > 0 ? '?attempt=' + attempt : '');
  const retry = (reason) => {
    if (attempt < THUMBNAIL_RETRY_MS.length) {
      image.title = 'The thumbnail is not here yet; trying again';
      setTimeout(() => {
        if (image.isConnected) {
          showThumbnail(image, key, attempt + 1);
        }
      }, THUMBNAIL_RETRY_MS[attempt]);
    } else {
      image.title = 'The thumbnail did not load' + (reason ? ': ' + reason : '');
      image.dataset.gaveUp = 'true';
    }
  };
  const headers = authHeaders();
  if (!headers.Authorization) {
    image.addEventListener('load', () => image.removeAttribute('title'), { once: true });
    image.addEventListener('error', () => retry(null), { once: true });
    image.src = url;
    return;
  }
  try {
    const response = await fetch(url, { headers });
    if (!response.ok) {
      const reason = await problemText(response);
      if (response.status === 404 || response.status === 429 || response.status >= 500) {
        retry(reason);
        return;
      }
      throw new Error(reason);
    }
    const blobUrl = URL.createObjectURL(await response.blob());
    const revoke = () => URL.revokeObjectURL(blobUrl);
    image.addEventListener('load', revoke, { once: true });
    image.addEventListener('error', revoke, { once: true });
    image.removeAttribute('title');
    image.src = blobUrl;
  } catch (error) {
    image.title = 'The thumbnail did not load: ' + error.message;
    image.dataset.gaveUp = 'true';
  }
}

/** The photo's record once processed or rejected; unanswered: the PUT's error if it got no answer. */
async function waitForRecord(key, unanswered = null) {
  const limit = limitMs('resultWaitSeconds', POLL_LIMIT_MS);
  const deadline = Date.now() + limit;
  let lost = null;
  // each photo asks less often the longer it waits (1 s, then up to 4 s): many photos polling at once stay under
  // API Gateway's rate limit
  const pause = (polls) => sleep(Math.min(POLL_MS * Math.pow(1.25, polls), 4 * POLL_MS));
  for (let polls = 0; Date.now() < deadline; polls++) {
    let response;
    try {
      response = await apiFetch('images/' + keyPath(key), { headers: authHeaders() });
    } catch (error) {
      // the network dropped out for a moment: the photo is uploaded and will be processed, so keep asking
      lost = error;
      await pause(polls);
      continue;
    }
    if (response.ok) {
      const record = await response.json();
      if (record.status === 'PROCESSED' || record.status === 'REJECTED') {
        return record;
      }
    } else if (response.status === 429 || response.status === 503) {
      // still busy after apiFetch's own retries: the photo is uploaded all the same, so keep asking until the deadline
      lost = new Error(await problemText(response));
    } else if (response.status !== 404) {
      throw new Error(await problemText(response));
    }
    await pause(polls);
  }
  const reasons = [unanswered, lost].filter(Boolean).map((error) => error.message);
  throw new Error('no result after ' + limit / 1000 + ' seconds'
      + (reasons.length > 0 ? ' (' + reasons.join('; ') + ')' : ''));
}

/** POST /uploads: the ticket to PUT the photo with, or an Error saying why the API refused it. */
async function askForTicket(request) {
  const granted = await apiFetch('uploads', {
    method: 'POST',
    headers: Object.assign({ 'Content-Type': 'application/json' }, authHeaders()),
    body: JSON.stringify(request),
  });
  if (!granted.ok) {
    // the API refused the file itself (its type, size or name): another try would be refused too
    let text = await problemText(granted);
    // the size in words for the person who chose the file, not the API's "contentLength N is over the upload limit
    // of M bytes"
    const limit = /over the upload limit of (\d+) bytes/.exec(text);
    if (limit) {
      text = 'too large (' + sizeInWords(request.contentLength, Math.ceil) + '): the server takes photos of up to '
          + sizeInWords(Number(limit[1]), Math.floor);
    }
    throw Object.assign(new Error(text), { final: [400, 413, 415].includes(granted.status) });
  }
  return granted.json();
}

/**
 * A size as the settings write it (20MB is 20 x 1024 x 1024 bytes), to a tenth below 100. round: Math.ceil for the
 * file's size, Math.floor for the limit, so that a file just over the limit never reads as the limit itself ("too
 * large (20 MB): the server takes photos of up to 20 MB" for a file of 20.3 MB).
 */
function sizeInWords(bytes, round) {
  const [amount, unit] = bytes >= 1024 * 1024 * 1024 ? [bytes / (1024 * 1024 * 1024), 'GB']
    : [bytes / (1024 * 1024), 'MB'];
  return (amount < 100 ? round(amount * 10) / 10 : round(amount)) + ' ' + unit;
}

/** Shows a photo's record in its row: the thumbnail, or why it was rejected. */
function showResult(file, row, key, record) {
  row.done();
  row.outcome = record.status === 'PROCESSED' ? 'ready' : 'rejected';
  if (record.status === 'PROCESSED') {
    const image = document.createElement('img');
    image.alt = 'Thumbnail of ' + file.name;
    image.width = record.output.width;
    image.height = record.output.height;
    row.item.append(image);
    showThumbnail(image, key);
    row.setState('Done: ' + record.source.width + '×' + record.source.height + ' photo', 'ok');
    announce(file.name + ': thumbnail ready');
  } else {
    row.setState('Rejected: ' + record.reason, 'bad');
    announce(file.name + ' was rejected: ' + record.reason);
  }
  markFinished(row);
}

/** A row with nothing left to do (its result shown, or a failure no button can mend), which "Clear finished" takes. */
function markFinished(row) {
  row.item.classList.add('finished');
  showClearFinished();
}

function showClearFinished() {
  const finished = uploads.querySelectorAll('li.finished').length;
  clearFinishedButton.hidden = finished === 0;
  clearFinishedButton.textContent = 'Clear finished (' + finished + ')';
}

/** Takes the finished rows off the list; the photos stay in the gallery. The focus goes back to choosing photos. */
function clearFinished() {
  const finished = uploads.querySelectorAll('li.finished');
  finished.forEach((item) => item.remove());
  showClearFinished();
  document.getElementById('file-input').focus();
  announce('Cleared ' + finished.length + (finished.length === 1 ? ' finished photo' : ' finished photos'));
}

/**
 * A "Check again" button on a photo the store took but whose result did not come (its processing was slow, or failed
 * and is being retried; the token expired while the page asked): it asks for the result again. Uploading the photo
 * again would store it a second time, under another key, and both would be processed.
 */
function offerCheckAgain(file, row, key) {
  const button = rowButton(row, 'Check again', 'Check again for the result of ' + file.name, async () => {
    button.remove();
    row.setState('Processing');
    announce('Asking again for the result of ' + file.name);
    unfinished++;
    batch.add(row);
    try {
      showResult(file, row, key, await waitForRecord(key));
    } catch (error) {
      showFailure(file, row, error);
      offerCheckAgain(file, row, key);
    } finally {
      settled();
    }
  });
}

/**
 * A ticket for the photo: asked for after reading the photo for its checksum, or first without one for a file over
 * ASK_BEFORE_READING_BYTES, so one the API refuses for its size is never read whole.
 */
async function ticketFor(file, row) {
  row.setState('Preparing');
  const request = { fileName: file.name, contentType: contentTypeOf(file), contentLength: file.size };
  if (file.size > ASK_BEFORE_READING_BYTES) {
    // the ticket granted is left unused: it is only signed, nothing is stored for it
    await askForTicket(request);
  }
  // reading a file too big for the browser to hold (a video renamed .jpg) fails; the API then refuses it for its
  // size, which says more than the browser's 'could not be read', so only a file the API takes fails for that
  let unreadable = null;
  try {
    const checksum = await sha256(file);
    if (checksum) {
      request.checksumSha256 = checksum;
    }
  } catch (error) {
    unreadable = error;
  }
  const ticket = await askForTicket(request);
  if (unreadable) {
    throw unreadable;
  }
  return ticket;
}

/** Uploads one photo; calls transferred once its PUT is over (or it failed before), so the next one can start. */
async function upload(file, row, transferred) {
  let putBegun = false;
  let requeued = false;
  let stored = null;
  // tried again after a PUT that got no answer nor, in time, a result: that PUT's URL goes first, while it lasts. A URL
  // takes one upload (If-None-Match: *), so a 412 says the first one arrived after all and its result is asked for,
  // where a new ticket would have stored the photo a second time, under another key
  let earlier = row.unansweredTicket || null;
  row.unansweredTicket = null;
  let ticket = null;
  let unanswered = null;
  const uploadWith = (granted) => {
    ticket = granted;
    row.item.dataset.key = granted.key;
    row.setState('Uploading');
  };
  try {
    uploadWith(earlier || await ticketFor(file, row));
    putBegun = true;
    for (let attempt = 0; ; attempt++) {
      try {
        await put(ticket, file, row);
        break;
      } catch (error) {
        if (error.busy && attempt < BUSY_RETRY_MS.length) {
          row.setState('Uploading: the server is busy, trying again');
          await sleep(error.retryAfter > 0 ? error.retryAfter * 1000 : BUSY_RETRY_MS[attempt]);
          row.setState('Uploading');
          continue;
        }
        // a URL takes one upload (If-None-Match: *): refused as taken after an answer that said busy (a 503 S3 sent
        // after storing it), or when tried again after no answer, the upload was stored all the same, so its result
        // is followed up as for one unanswered
        const storedBefore = error.status === 412 && (attempt > 0 || earlier !== null);
        if (earlier !== null && error.status === 403) {
          // the earlier URL expired (nothing tells whether its upload arrived): a new ticket, as any try gets
          earlier = null;
          uploadWith(await ticketFor(file, row));
          attempt = -1;
          continue;
        }
        if (!error.unanswered && !storedBefore) {
          throw error;
        }
        unanswered = storedBefore ? null : error;
        break;
      }
    }
    transferred();
    if (!unanswered) {
      // the store took the photo: should its result not come, another upload would make it twice, under two keys
      stored = ticket.key;
    }
    row.setState('Processing');
    showResult(file, row, ticket.key, await waitForRecord(ticket.key, unanswered));
  } catch (error) {
    if (error.unreachable && !putBegun && !row.waitedForServer) {
      // nothing was sent (a ticket is only signed, nothing is stored for it): the photo waits in its place, and the
      // queue with it, until the server answers. A photo whose PUT began is followed up or failed as before. Once
      // only: a photo that cannot reach the server again after it answered is blocked on its way (a proxy, a firewall
      // or an extension refusing the upload's calls but not the check's), and waiting would go round for ever.
      row.waitedForServer = true;
      requeued = true;
      row.reset();
      const behind = waiting.findIndex((entry) => entry.row.order > row.order);
      waiting.splice(behind < 0 ? waiting.length : behind, 0, { file, row });
      pauseQueue();
      return;
    }
    showFailure(file, row, error);
    if (stored) {
      offerCheckAgain(file, row, stored);
    } else if (!error.final) {
      row.unansweredTicket = unanswered ? ticket : null;
      offerRetry(file, row);
    } else {
      markFinished(row);
    }
  } finally {
    transferred();
    if (!requeued) {
      settled();
    }
  }
}

/**
 * Starts waiting photos while fewer than PARALLEL_UPLOADS are between their ticket and the end of their PUT, unless
 * the server cannot be reached.
 */
function startWaiting() {
  if (reconnect) {
    showReconnecting();
    return;
  }
  while (transferring < PARALLEL_UPLOADS && waiting.length > 0) {
    const { file, row } = waiting.shift();
    transferring++;
    let over = false;
    upload(file, row, () => {
      if (!over) {
        over = true;
        transferring--;
        startWaiting();
      }
    });
  }
}

/** Pauses the queue until the server answers again; the photos not started stay waiting, saying why. */
function pauseQueue() {
  if (reconnect) {
    return;
  }
  reconnect = { attempt: 0, at: 0, timer: null, ticker: setInterval(showReconnecting, 1000), asking: false };
  announce('The server cannot be reached: the photos not sent yet wait, and go on by themselves once it answers');
  askLater();
}

function askLater() {
  const ms = RECONNECT_MS[Math.min(reconnect.attempt, RECONNECT_MS.length - 1)];
  reconnect.attempt++;
  reconnect.at = Date.now() + ms;
  reconnect.timer = setTimeout(askServer, ms);
  showReconnecting();
}

/**
 * Whether the server answers, with the gallery's cheap list call: any answer will do (a 401 or a 503 is for the
 * photos' own calls to handle), so it goes without the token, which a token the browser cannot send would otherwise
 * make fail as if nothing answered. Resumes the queue if so, else asks again after the next wait.
 */
async function askServer() {
  if (!reconnect || reconnect.asking) {
    return;
  }
  const pause = reconnect;
  clearTimeout(pause.timer);
  pause.asking = true;
  showReconnecting();
  try {
    await fetch('images?limit=1', { signal: timeoutSignal(RECONNECT_CHECK_MS) });
  } catch (error) {
    // unless another call found the server meanwhile (and the queue went on, or paused anew)
    if (reconnect === pause) {
      pause.asking = false;
      askLater();
    }
    return;
  }
  serverAnswers();
}

/**
 * The server answered a call (the check, or any API call: a photo asking for its result, the gallery): the waiting
 * photos go on at once. Only the check ended the pause, and it is asked every 30 s at last: the rows kept saying the
 * server could not be reached while photos beside them got their results from it.
 */
function serverAnswers() {
  if (!reconnect) {
    return;
  }
  clearTimeout(reconnect.timer);
  clearInterval(reconnect.ticker);
  reconnect = null;
  waiting.forEach(({ row }) => row.setState('Waiting'));
  announce('The server answers again: the waiting photos go on');
  startWaiting();
}

/**
 * A signal that aborts a call after ms. Not AbortSignal.timeout: Safari before 16 (iOS 15) does not have it, and the
 * check that called it threw before asking anything, so the queue never went on.
 */
function timeoutSignal(ms) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

function showReconnecting() {
  if (!reconnect) {
    return;
  }
  const seconds = Math.max(1, Math.ceil((reconnect.at - Date.now()) / 1000));
  const text = 'Waiting: the server cannot be reached, '
      + (reconnect.asking ? 'trying again now' : 'trying again in ' + seconds + ' s');
  waiting.forEach(({ row }) => row.setState(text));
}

/** A photo has its outcome, or failed. */
function settled() {
  unfinished--;
  reloadGallery();
  summarise();
}

/**
 * Once no photo is left unfinished, a screen reader is told how the photos went, when there were several: told of
 * each as it finished, among 40 it would have had to count the failures itself.
 */
function summarise() {
  if (unfinished > 0) {
    return;
  }
  const rows = Array.from(batch);
  batch.clear();
  if (rows.length < 2) {
    return;
  }
  const count = (outcome) => rows.filter((row) => row.outcome === outcome).length;
  const ready = count('ready');
  const parts = [[ready, ready === 1 ? 'thumbnail ready' : 'thumbnails ready'], [count('rejected'), 'rejected'],
    [count('failed'), 'failed']].filter(([n]) => n > 0).map(([n, what]) => n + ' ' + what);
  announce(rows.length + ' photos finished: ' + parts.join(', '));
}

/** Reloads the gallery once all photos are done, and meanwhile at most every GALLERY_RELOAD_MS. */
function reloadGallery() {
  if (unfinished === 0) {
    clearTimeout(galleryReload);
    galleryReload = null;
    loadGallery(true);
  } else if (galleryReload === null) {
    galleryReload = setTimeout(() => {
      galleryReload = null;
      loadGallery(true);
    }, GALLERY_RELOAD_MS);
  }
}

function uploadAll(files) {
  const list = Array.from(files);
  if (list.length === 0) {
    return;
  }
  announce('Uploading ' + list.length + (list.length === 1 ? ' photo' : ' photos'));
  // the photos chosen last go on top, each in the order chosen, which is the order they go in: in reverse, the
  // photos on the move were at the bottom of the list, off a phone's screen below the ones still waiting
  const top = uploads.firstChild;
  list.forEach((file) => {
    const row = addRow(file, top);
    const refusal = plainRefusal(file);
    if (!refusal) {
      enqueue(file, row);
      return;
    }
    // known at once, so said at once: such a file waited its turn behind the others, or for a server it would never
    // be sent to, saying "Waiting: the server cannot be reached"
    batch.add(row);
    showFailure(file, row, new Error(refusal));
    markFinished(row);
  });
  summarise();
}

/** Queues a photo (new or tried again) and starts it if a slot is free. */
function enqueue(file, row) {
  waiting.push({ file, row });
  unfinished++;
  batch.add(row);
  startWaiting();
}

/**
 * The gallery's item for a record: the one shown already for it, when given one (kept), else a new one. Kept, its
 * thumbnail is not asked for again: with a token, each is fetched (an <img> from a blob: URL is not cached), and a
 * reload, every 5 seconds while photos upload, fetched all of them, up to 100 calls through the API's rate limit.
 */
function galleryItem(record, kept) {
  // the outcome's instant too: the same key uploaded again (PUT /images/{key}) is another image
  const id = record.status + ' ' + record.source.key + ' ' + record.processedAt;
  if (kept && kept.has(id)) {
    return kept.get(id);
  }
  const item = document.createElement('li');
  item.dataset.id = id;
  const caption = document.createElement('p');
  caption.className = 'caption';
  caption.dir = 'auto';
  const name = record.source.key.replace(/^.*\//, '').replace(/^[0-9a-f-]{36}-/, '');
  if (record.status === 'PROCESSED') {
    const image = document.createElement('img');
    image.alt = name;
    image.loading = 'lazy';
    item.append(image);
    showThumbnail(image, record.source.key);
    caption.textContent = name;
    // the image says the name already: a screen reader read it twice, image then caption
    caption.setAttribute('aria-hidden', 'true');
  } else {
    caption.textContent = name + ': ' + record.reason;
    caption.classList.add('rejected');
  }
  item.append(caption);
  return item;
}

/**
 * The gallery's first page (fromStart) or the next one. A next page is asked for once at a time (a double click on
 * "Show more" would add the same page twice) and dropped if the gallery was reloaded meanwhile (a reload started
 * before it and answered first included); so is a reload that a newer one overtook. A reload keeps the images it
 * shows already, unless keep is false (a new token: the thumbnails are fetched with it, or without one).
 */
async function loadGallery(fromStart, keep = true) {
  const gallery = document.getElementById('gallery');
  const more = document.getElementById('more');
  const error = document.getElementById('gallery-error');
  if (!fromStart && loadingMore) {
    return;
  }
  const generation = fromStart ? ++galleryGeneration : galleryGeneration;
  const shown = galleryShown;
  // a reload from the start (a photo finished, every few seconds while many upload) asks for as many images as are
  // shown, up to the API's 100: one page would take back what "Show more" showed the user
  const limit = fromStart ? Math.min(Math.max(GALLERY_PAGE, gallery.children.length), 100) : GALLERY_PAGE;
  let url = 'images?limit=' + limit;
  if (!fromStart && galleryCursor) {
    url += '&cursor=' + encodeURIComponent(galleryCursor);
  }
  if (!fromStart) {
    loadingMore = true;
    more.setAttribute('aria-busy', 'true');
  }
  try {
    const response = await apiFetch(url, { headers: authHeaders() });
    if (!response.ok) {
      throw new Error(await problemText(response));
    }
    const page = await response.json();
    if (generation !== galleryGeneration || (!fromStart && shown !== galleryShown)) {
      return;
    }
    // a thumbnail that gave up is asked for anew (the token may have been pasted since)
    const kept = !fromStart || !keep ? null : new Map(Array.from(gallery.children)
      .filter((item) => !item.querySelector('img[data-gave-up]'))
      .map((item) => [item.dataset.id, item]));
    if (fromStart) {
      galleryShown++;
      gallery.replaceChildren();
    }
    const added = page.items.map((record) => galleryItem(record, kept));
    gallery.append(...added);
    galleryCursor = page.next;
    if (!fromStart) {
      // a screen reader heard nothing of what "Show more" did
      announce(added.length + ' more ' + (added.length === 1 ? 'image' : 'images') + ' shown, '
          + gallery.children.length + ' in all' + (page.next ? '' : '; there are no more'));
    }
    // "Show more" goes with the last page: the focus on it would fall back to the top of the page, so a keyboard or
    // screen reader user goes on from the first image it added (or the last one shown) instead
    const focusLost = !page.next && document.activeElement === more;
    more.hidden = !page.next;
    const next = added[0] || gallery.lastElementChild;
    if (focusLost && next) {
      next.tabIndex = -1;
      next.focus();
    }
    document.getElementById('gallery-empty').hidden = gallery.children.length > 0;
    error.hidden = true;
  } catch (e) {
    if (generation === galleryGeneration) {
      error.textContent = 'Could not load recent images: ' + e.message;
      error.hidden = false;
    }
  } finally {
    if (!fromStart) {
      loadingMore = false;
      more.removeAttribute('aria-busy');
    }
  }
}

function init() {
  const input = document.getElementById('file-input');
  const zone = document.getElementById('drop-zone');
  input.addEventListener('change', () => {
    uploadAll(input.files);
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach((type) => zone.addEventListener(type, (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  }));
  ['dragleave', 'drop'].forEach((type) => zone.addEventListener(type, () => zone.classList.remove('dragging')));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    uploadAll(event.dataTransfer.files);
  });
  // a file dropped beside the zone would be opened by the browser in place of the page, and uploads still under way
  // with it: refuse such drops. Only files: text dragged into the token field is the browser's to drop there
  ['dragover', 'drop'].forEach((type) => window.addEventListener(type, (event) => {
    const files = event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');
    if (files && !zone.contains(event.target)) {
      event.preventDefault();
      if (event.dataTransfer) {
        event.dataTransfer.dropEffect = 'none';
      }
    }
  }));
  const saved = sessionStorage.getItem('token');
  if (saved) {
    tokenInput.value = saved;
    // open, so that the user sees a token is sent with every request
    document.getElementById('token-box').open = true;
  }
  tokenInput.addEventListener('change', () => {
    sessionStorage.setItem('token', tokenInput.value.trim());
    loadGallery(true, false);
  });
  document.getElementById('more').addEventListener('click', () => loadGallery(false));
  retryAllButton.addEventListener('click', retryAll);
  clearFinishedButton.addEventListener('click', clearFinished);
  // the device is back on a network: no need to wait for the next ask
  window.addEventListener('online', askServer);
  // leaving or reloading the page drops the photos still waiting or being sent (not those being processed: they
  // arrived): the browser asks first
  window.addEventListener('beforeunload', (event) => {
    if (transferring > 0 || waiting.length > 0) {
      event.preventDefault();
      // what browsers before preventDefault() was honoured here look for
      event.returnValue = true;
    }
  });
  loadGallery(true);
}

init();
