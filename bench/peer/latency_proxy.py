"""A TCP relay that delays every byte by half a round trip each way, put in front of the sandbox's KMS so
both sides of the benchmark meet a KMS as far away as a real one (the sandbox's answers on loopback in
well under a millisecond; AWS KMS is a few milliseconds away from a host in its region and tens of
milliseconds from a workstation). TLS passes through untouched.

    python latency_proxy.py --to 127.0.0.1:PORT --rtt-ms 20
prints the port it listens on, on one line, then relays until killed."""
import argparse
import asyncio
import time


async def relay(reader, writer, delay):
    """Copies reader to writer, each chunk sent `delay` seconds after it arrived, in order."""
    queue = asyncio.Queue()

    async def send():
        while True:
            due, data = await queue.get()
            pause = due - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            if data is None:
                writer.close()
                return
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(send())
    try:
        while True:
            data = await reader.read(65536)
            await queue.put((time.monotonic() + delay, data or None))
            if not data:
                break
        await sender
    except (ConnectionError, OSError):
        sender.cancel()
        writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--to", required=True, help="HOST:PORT of the KMS")
    parser.add_argument("--rtt-ms", type=float, required=True)
    args = parser.parse_args()
    host, port = args.to.rsplit(":", 1)
    delay = args.rtt_ms / 2000.0

    async def accept(client_reader, client_writer):
        try:
            kms_reader, kms_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(relay(client_reader, kms_writer, delay), relay(kms_reader, client_writer, delay))

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
