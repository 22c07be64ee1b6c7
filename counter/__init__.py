"""Counter terminal (窗口叫号终端) for window clerks: sign in, call, serve, finish, transfer."""

__version__ = "0.1.0"
