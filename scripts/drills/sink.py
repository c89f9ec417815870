"""The drills' SMTP server: aiosmtpd in its own process, switched by a control file read per message.

The control file holds JSON: {"delay": seconds before answering each message, "refuse_until": a Unix
time before which every message is answered 451}. Each accepted message is appended to the log as a
JSON line {"message_id", "rcpt", "at"}, so the drills count duplicates by Message-ID.

Run as `python -m scripts.drills.sink --port P --control FILE --log FILE`; `Sink` drives it.
"""

import argparse
import asyncio
import json
import os
import signal
import time
from pathlib import Path

from aiosmtpd.controller import Controller


def read_control(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}


class Handler:
    def __init__(self, control: Path, log: Path):
        self.control = control
        self.log = log

    async def handle_DATA(self, server, session, envelope):
        behaviour = read_control(self.control)
        if time.time() < behaviour.get("refuse_until", 0):
            return "451 4.3.0 Drill: try again later"
        if behaviour.get("delay"):
            await asyncio.sleep(behaviour["delay"])
        message_id = ""
        for line in envelope.original_content.split(b"\r\n\r\n", 1)[0].splitlines():
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        record = {"message_id": message_id, "rcpt": envelope.rcpt_tos, "at": time.time()}
        # One write per line with O_APPEND: the log stays whole with concurrent connections.
        fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (json.dumps(record) + "\n").encode())
        finally:
            os.close(fd)
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args()
    controller = Controller(Handler(args.control, args.log), hostname="127.0.0.1", port=args.port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: controller.stop() or os._exit(0))
    print(f"SMTP sink on 127.0.0.1:{args.port}", flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
