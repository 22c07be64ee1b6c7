"""Realtime: Socket.IO rooms, snapshots on (re)connect, and events pushed after commit."""
