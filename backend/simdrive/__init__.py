"""Drive a running onestop server with a simulated hall day (``onestop simulate``): kiosks issue
at the profile's arrival times, clerks call, serve and finish at the roster's windows, display
and rating-pad sockets listen, all through the real REST API and Socket.IO, on one asyncio loop.

plan.py    the arrivals and window shifts of the simulated period, and the clock (plain Python)
http.py    the REST client (aiohttp): request ids, retries, latency per endpoint kind
screens.py display and rating-pad sockets: what they received, when, gaps
clerk.py   one window's clerk
drive.py   credentials, staff, kiosks, the run, its summary
"""
