// The floor of a one-shot check: start the runtime, GET the endpoint with HttpClient over SocketsHttpHandler (as
// FalcoCheck's scraper does) and write what came back to a file. No parsing, no configuration, no state.
// Usage: floor URL FILE
using var client = new HttpClient(new SocketsHttpHandler());
var body = await client.GetByteArrayAsync(new Uri(args[0])).ConfigureAwait(false);
await File.WriteAllBytesAsync(args[1], body).ConfigureAwait(false);
return body.Length > 0 ? 0 : 1;
