#!/usr/bin/env python3
"""A fake Binance USDⓈ-M on 127.0.0.1 for marginwatch's tests (standard library only).

REST: /fapi/v1/time, and signed /fapi/v1/multiAssetsMargin, /fapi/v2/account, /fapi/v2/positionRisk,
/fapi/v1/leverageBracket (the key and the HMAC-SHA256 signature are checked; the answers come from
JSON files in --fixtures). WebSocket: /market/stream?streams=<sym>@markPrice@1s/... sends
markPriceUpdate frames every --interval seconds and pings every 2 s (pongs are counted).

Control (plain GETs, for the tests): /_control?price=BTCUSDT:64000.5  /_control?rest=ok|401|429|500|skew
/_control?skew_ms=N (frames' event time N ms ahead)  /_control?hang=1|0 (accept streams but never answer the upgrade)  /_control?tape=FILE (send a native tape's prices in order, a row a frame)
/_control?ws=normal|silent|malformed  /_control?drop=1 (close every stream)  /_control?refuse=SECONDS
(answer 503 to new streams for that long)  /_control?positions=FILE
/_state (JSON: connections, pongs, requests, bad signatures). Usage:
  fake_binance.py --fixtures DIR --port-file FILE [--key K --secret S] [--interval 0.2]
"""
import argparse, base64, hashlib, hmac, json, os, socket, struct, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
lock = threading.Lock()
state = {"prices": {}, "funding": {}, "rest": "ok", "ws": "normal", "connections": 0, "open": 0, "pongs": 0,
         "requests": [], "bad_signatures": 0, "drops": 0, "positions_file": None, "streams": []}
sockets = []


def now_ms():
    return int(time.time() * 1000)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = url.query
        with lock:
            state["requests"].append({"path": url.path, "query": query, "headers": dict(self.headers)})
        if url.path == "/_control":
            return self.control(urllib.parse.parse_qs(query))
        if url.path == "/_state":
            with lock:
                body = {k: v for k, v in state.items()}
            return self.answer(200, body)
        if url.path == "/market/stream":
            return self.stream(urllib.parse.parse_qs(query))
        if url.path == "/fapi/v1/time":
            skew = 60_000 if state["rest"] == "skew" else 0
            return self.answer(200, {"serverTime": now_ms() + skew})
        files = {"/fapi/v1/multiAssetsMargin": "multiAssetsMargin.json", "/fapi/v2/account": "account.json",
                 "/fapi/v2/positionRisk": "positionRisk.json", "/fapi/v1/leverageBracket": "leverageBracket.json"}
        if url.path not in files:
            return self.answer(404, {"code": -1, "msg": "not found"})
        mode = state["rest"]
        if mode == "401":
            return self.answer(401, {"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."})
        if mode == "429":
            return self.answer(429, {"code": -1003, "msg": "Too many requests."}, {"Retry-After": "7"})
        if mode == "500":
            return self.answer(500, b"<html>oops</html>")
        if self.headers.get("X-MBX-APIKEY") != ARGS.key or not self.signed_ok(query):
            with lock:
                state["bad_signatures"] += 1
            return self.answer(400, {"code": -1022, "msg": "Signature for this request is not valid."})
        params = dict(urllib.parse.parse_qsl(query))
        stamp = int(params.get("timestamp", "0"))
        # A -1021 until the client has measured the skew: "skew" moves the server's clock a minute ahead.
        server = now_ms() + (60_000 if mode == "skew" else 0)
        if abs(server - stamp) > int(params.get("recvWindow", "5000")):
            return self.answer(400, {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."})
        name = files[url.path]
        path = os.path.join(ARGS.fixtures, name)
        if name == "positionRisk.json" and state["positions_file"]:
            path = state["positions_file"]
        with open(path, "rb") as f:
            return self.answer(200, f.read())

    def signed_ok(self, query):
        if "&signature=" not in query:
            return False
        payload, signature = query.rsplit("&signature=", 1)
        expected = hmac.new(ARGS.secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)

    def control(self, q):
        with lock:
            for item in q.get("price", []):
                sym, price = item.split(":")
                state["prices"][sym] = price
            for item in q.get("funding", []):
                sym, rate, nxt = item.split(":")
                state["funding"][sym] = (rate, int(nxt))
            if "rest" in q:
                state["rest"] = q["rest"][0]
            if "ws" in q:
                state["ws"] = q["ws"][0]
            if "skew_ms" in q:
                state["skew_ms"] = int(q["skew_ms"][0])
            if "hang" in q:
                state["hang"] = q["hang"][0] == "1"
            if "tape" in q:
                # A native tape (time,symbol,price): its prices are sent in order, one row per frame.
                with open(q["tape"][0]) as f:
                    rows = [line.strip().split(",") for line in f if line.strip() and not line.startswith("time")]
                state["tape"] = [(sym, price) for _, sym, price in rows]
            if "refuse" in q:
                state["refuse_until"] = time.time() + float(q["refuse"][0])
            if "positions" in q:
                state["positions_file"] = q["positions"][0]
            victims = list(sockets) if "drop" in q else []
            if victims:
                state["drops"] += 1
        for s in victims:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.answer(200, {"ok": True})

    def stream(self, q):
        key = self.headers.get("Sec-WebSocket-Key")
        if state.get("hang"):
            # Accept the connection, never answer the upgrade: a handshake that hangs.
            with lock:
                state["hung"] = state.get("hung", 0) + 1
            while state.get("hang"):
                time.sleep(0.1)
            self.close_connection = True
            return
        if time.time() < state.get("refuse_until", 0):
            return self.answer(503, {"msg": "refusing streams for now"})
        if not key:
            return self.answer(400, {"msg": "not a websocket"})
        streams = q.get("streams", [""])[0].split("/")
        symbols = [s.split("@")[0].upper() for s in streams if s.endswith("@markPrice@1s")]
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        self.wfile.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        self.wfile.flush()
        conn = self.connection
        with lock:
            state["connections"] += 1
            state["open"] += 1
            state["streams"].append(streams)
            sockets.append(conn)
        reader = threading.Thread(target=self.read_frames, args=(conn,), daemon=True)
        reader.start()
        last_ping = time.time()
        try:
            while reader.is_alive():
                mode = state["ws"]
                if mode != "silent":
                    with lock:
                        tape = state.get("tape") or []
                        row = tape.pop(0) if tape and tape[0][0] in symbols else None
                        if tape and row is None:
                            tape.pop(0)  # a symbol this stream did not subscribe to
                    if row:
                        state["prices"][row[0]] = row[1]
                    for sym in ([row[0]] if row else symbols):
                        price = state["prices"].get(sym)
                        if price is None:
                            continue
                        rate, nxt = state["funding"].get(sym, ("0.00010000", now_ms() // 28_800_000 * 28_800_000 + 28_800_000))
                        data = {"e": "markPriceUpdate", "E": now_ms() + state.get("skew_ms", 0), "s": sym, "p": price, "i": price, "P": price,
                                "r": rate, "T": nxt}
                        text = json.dumps({"stream": sym.lower() + "@markPrice@1s", "data": data})
                        if mode == "malformed":
                            text = text.replace('"p": "', '"p": "x')
                        send(conn, 0x1, text.encode())
                    if time.time() - last_ping > 2:
                        send(conn, 0x9, b"hi")
                        last_ping = time.time()
                time.sleep(ARGS.interval)
        except OSError:
            pass
        finally:
            with lock:
                state["open"] -= 1
                if conn in sockets:
                    sockets.remove(conn)
            self.close_connection = True

    def read_frames(self, conn):
        try:
            while True:
                head = recv_exact(conn, 2)
                opcode, length = head[0] & 0x0F, head[1] & 0x7F
                if length == 126:
                    length = struct.unpack(">H", recv_exact(conn, 2))[0]
                elif length == 127:
                    length = struct.unpack(">Q", recv_exact(conn, 8))[0]
                mask = recv_exact(conn, 4) if head[1] & 0x80 else b"\0\0\0\0"
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(recv_exact(conn, length)))
                if opcode == 0xA:
                    with lock:
                        state["pongs"] += 1
                elif opcode == 0x8:
                    if state["ws"] != "silent":
                        send(conn, 0x8, payload[:2])
                    return
        except (OSError, ConnectionError):
            return


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def send(conn, opcode, payload):
    n = len(payload)
    head = bytes([0x80 | opcode]) + (bytes([n]) if n < 126 else bytes([126]) + struct.pack(">H", n))
    conn.sendall(head + payload)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--key", default="test-key")
    parser.add_argument("--secret", default="test-secret-never-printed")
    parser.add_argument("--interval", type=float, default=0.2)
    ARGS = parser.parse_args()
    parent = os.getppid()

    def orphaned():
        # A test runner that died must not leave its fake exchange behind.
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=orphaned, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    server.serve_forever()
