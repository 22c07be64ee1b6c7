"""Realtime: Socket.IO on an asyncio loop (rooms, snapshots on (re)connect), events relayed in
sequence order after commit and batched per room."""
