/**
 * Reads a QR code from the back camera: the browser's BarcodeDetector where it exists (Android
 * Chrome), otherwise jsQR on frames drawn to a canvas (Chromium on Linux, Firefox, older Safari).
 * Frames are read every ~200 ms, scaled down to 640 px at most, which a mid-range phone decodes
 * in a few milliseconds; the camera is stopped as soon as a code is read.
 */
import jsQR from 'jsqr';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface DetectorClass {
  new (opts: { formats: string[] }): Detector;
  getSupportedFormats?(): Promise<string[]>;
}

const frameMs = 200;
const maxSide = 640;

async function nativeDetector(): Promise<Detector | undefined> {
  const Native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Native) return undefined;
  try {
    const formats = (await Native.getSupportedFormats?.()) ?? ['qr_code'];
    return formats.includes('qr_code') ? new Native({ formats: ['qr_code'] }) : undefined;
  } catch {
    return undefined;
  }
}

export interface Scanner {
  stop(): void;
}

/**
 * Starts the camera in `video` and calls `onCode` once with the first QR read. Rejects when there
 * is no camera or permission is refused (a DOMException whose name says which).
 */
export async function startScanner(
  video: HTMLVideoElement,
  onCode: (text: string) => void,
): Promise<Scanner> {
  if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('no camera API', 'NotFoundError');
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: false,
  });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play();
  } catch (err) {
    stop();
    throw err;
  }

  const detector = await nativeDetector();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });

  const readFrame = async (): Promise<string | undefined> => {
    if (video.readyState < video.HAVE_CURRENT_DATA || video.videoWidth === 0) return undefined;
    if (detector) {
      const [hit] = await detector.detect(video);
      return hit?.rawValue || undefined;
    }
    if (!context) return undefined;
    const scale = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
    const w = Math.round(video.videoWidth * scale);
    const h = Math.round(video.videoHeight * scale);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    context.drawImage(video, 0, 0, w, h);
    const image = context.getImageData(0, 0, w, h);
    // Printed labels are dark on light; also try inverted so that a code on a dark sticker reads.
    return jsQR(image.data, w, h, { inversionAttempts: 'attemptBoth' })?.data || undefined;
  };

  const tick = async () => {
    if (stopped) return;
    let text: string | undefined;
    try {
      text = await readFrame();
    } catch {
      text = undefined; // a frame that cannot be read: try the next one
    }
    if (stopped) return;
    if (text) {
      stop();
      onCode(text);
      return;
    }
    timer = setTimeout(tick, frameMs);
  };
  timer = setTimeout(tick, frameMs);
  return { stop };
}
