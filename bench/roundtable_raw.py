"""The physical limit for `roundtable_fanout.py`: a plain `websockets` server, one room.

Every text frame a client sends is written to every connected client (the sender too)
with `websockets.broadcast`, which frames the message once and writes the same bytes to
each socket: no channel layer, no database, no authentication, no validation.

    .venv/bin/python bench/roundtable_raw.py --port 8301

Each socket first receives `welcome` (so the load client knows it is registered).
"""

import argparse
import asyncio

from websockets.asyncio.server import broadcast, serve

ROOM: set = set()


async def member(websocket) -> None:
    ROOM.add(websocket)
    try:
        await websocket.send("welcome")
        async for message in websocket:
            broadcast(ROOM, message)
    finally:
        ROOM.discard(websocket)


async def main(host: str, port: int) -> None:
    # No compression and no keepalive pings: the Channels servers compared use neither.
    async with serve(member, host, port, compression=None, ping_interval=None, max_queue=256) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8301)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
