"""Reading what the file-based e-mail backend (EMAIL_URL=filemail:///<dir>) wrote, from any
process: one file per connection, messages separated by a line of 79 dashes."""

import email
from collections import Counter
from email.message import Message
from pathlib import Path


def mails(directory: Path) -> list[Message]:
    found = []
    for path in sorted(directory.glob("*")) if directory.exists() else []:
        for part in path.read_bytes().split(b"-" * 79 + b"\n"):
            if part.strip():
                found.append(email.message_from_bytes(part))
    return found


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def mailed_reminder_lines(directory: Path) -> Counter[tuple[str, str]]:
    """How often each reminder line ("- Overskredet: …, sag …, frist …") was mailed to whom."""
    return Counter(
        (message["To"], line)
        for message in mails(directory)
        for line in body(message).splitlines()
        if line.startswith("- ")
    )
