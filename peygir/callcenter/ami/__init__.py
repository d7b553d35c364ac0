"""The Asterisk Manager Interface: wire format and an asyncio client."""
