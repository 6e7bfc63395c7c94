/**
 * The benchmark's baseline: a bare restify server that reads the body, parses the JSON and
 * returns a fixed message, with none of this service's checks, botbuilder or templates. It is the
 * practical ceiling for a restify service on the same machine. Prints `listening <port>`.
 */
import restify from 'restify';

const server = restify.createServer();
server.post('/api/webhook', async (req: restify.Request, res: restify.Response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string };
  const body = JSON.stringify({ type: 'message', text: `received ${String(activity.type)}` });
  res.sendRaw(200, body, { 'Content-Type': 'application/json; charset=utf-8' });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
