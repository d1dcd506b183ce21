// The upload URLs files.getUploadURLExternal hands out (Slack's are on files.slack.com; ours are on
// the stand-in itself). Slack takes the file as raw bytes or multipart form data and answers
// HTTP 200 when it has them; WebClient.filesUploadV2 sends multipart with the bytes in one part.
// Recorded as FILE_UPLOAD_METHOD, and faults can be planned for it like for any method.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../src/http/read-body.js';
import { answerWithFault, type FaultPlan } from './faults.js';
import type { CallRecorder } from './recorder.js';
import type { WorkspaceState } from './state.js';

/** The pseudo-method name under which uploads to an upload URL are recorded (and faults planned). */
export const FILE_UPLOAD_METHOD = 'file_upload';

export const UPLOAD_PATH = '/upload/v1/';

const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The file's bytes: the (first) file part of a multipart body, else the body itself. */
async function fileBytes(contentType: string, body: Buffer): Promise<Buffer | undefined> {
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return body;
  try {
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': contentType },
    }).formData();
    const parts = [...form.values()];
    const file = parts.find((v): v is File => typeof v !== 'string') ?? parts[0];
    if (file === undefined) return undefined;
    return typeof file === 'string' ? Buffer.from(file, 'utf8') : Buffer.from(await file.arrayBuffer());
  } catch {
    return undefined; // a malformed multipart body: answered 400 below, as an upload service would
  }
}

export async function handleUpload(
  deps: { state: WorkspaceState; recorder: CallRecorder; faults: FaultPlan },
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await readBody(req, MAX_FILE_BYTES);
  const at = deps.state.now();
  const fileId = decodeURIComponent(url.pathname.slice(UPLOAD_PATH.length));
  const contentType = String(req.headers['content-type'] ?? '');
  const args = { url: url.href, file_id: fileId, content_type: contentType, bytes: body.length };
  const call = { method: FILE_UPLOAD_METHOD, args, at };
  const fault = deps.faults.take(FILE_UPLOAD_METHOD);
  if (fault && !fault.afterHandling) return answerWithFault(deps, fault, call, res);

  const upload = deps.state.uploads.get(fileId);
  const bytes = await fileBytes(contentType, body);
  let status = 200;
  let error: string | undefined;
  // An unknown or already shared upload is gone, as far as the upload service is concerned.
  if (!upload || upload.completed) [status, error] = [404, 'upload_not_found'];
  else if (bytes === undefined) [status, error] = [400, 'invalid_form_data'];
  else upload.bytes = bytes;

  if (fault) return answerWithFault(deps, fault, call, res);
  deps.recorder.record({ ...call, ok: status === 200, error, status });
  res
    .writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
    .end(error ?? `OK - ${bytes?.length ?? 0}`);
}
