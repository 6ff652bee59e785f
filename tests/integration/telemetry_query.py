#!/usr/bin/env python3
"""Query a running DPDK process's telemetry socket: telemetry_query.py
SOCKET CMD... prints each reply as JSON, one per line."""
import json, socket, sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
json.loads(s.recv(16384).decode())  # the greeting
for cmd in sys.argv[2:]:
    s.send(cmd.encode())
    print(json.dumps(json.loads(s.recv(1 << 20).decode())))
