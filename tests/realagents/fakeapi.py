"""A scripted stand-in for the Anthropic Messages and OpenAI Responses/Chat APIs.

Real Claude Code and Codex run against it on 127.0.0.1 and perform real tool
calls, so cockpit's detectors can be tested on the real TUIs with no key and
no network.  One server speaks all three (`/v1/messages`, `/v1/responses`,
`/v1/chat/completions` for OpenCode).

A scenario (JSON) is a list of model turns, shared by both CLIs:

    {"prompt": "the task",
     "turns": [{"text": "…", "shell": "cmd", "delay": 1.0, "chunk_delay": 0.05},
               {"read": "calc.py"}, {"write": ["f.py", "text"]},
               {"shell": "curl …", "escalate": "Allow downloading?"}],
     "loop": true, "loop_from": 0,          # wrap around forever
     # a turn's "usage": {"input", "output", "cache_read", "cache_write"} are the token
     # counts it reports (default 100/20 for Claude, 1000/40 for Codex), logged as served
     "after_end": {"text": "Done."}}        # once the turns run out

`shell` becomes Claude's Bash tool, whichever shell tool Codex offers, or
OpenCode's bash; `read`/`write` become Read/Write (a `cat`/`printf` for Codex);
`escalate` makes Codex ask for approval.  The turn is derived from the request
(tool results since the last human prompt), so retries and side requests
(titles, summaries: no tools offered) never advance the script.  CONNECT is
refused, so with HTTPS_PROXY pointing here nothing leaves the machine.

    python -m tests.realagents.fakeapi SCENARIO [--port N] [--log FILE]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import shlex
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SHELL_TOOLS = ("shell_command", "exec_command", "shell")
_ids = itertools.count(1)


def _blocks(content: object) -> list[dict]:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [b for b in content or [] if isinstance(b, dict)]


def _text(content: object) -> str:
    return "\n".join(str(b.get("text") or "") for b in _blocks(content)).strip()


def claude_turn(messages: list[dict]) -> int:
    """Tool results since the last human prompt (injected <system-reminder>s are not prompts)."""
    n = 0
    for m in messages:
        if m.get("role") != "user":
            continue
        blocks = _blocks(m.get("content"))
        if any(b.get("type") == "tool_result" for b in blocks):
            n += 1
        elif any(b.get("type") == "text" and b.get("text", "").strip() and not b["text"].lstrip().startswith("<") for b in blocks):
            n = 0
    return n


def codex_turn(items: list[dict]) -> int:
    """Tool outputs since the last human message (context blocks start with '<' or '#')."""
    n = 0
    for it in items:
        if it.get("type", "").endswith("call_output"):
            n += 1
        elif it.get("role") == "user" and it.get("type", "message") == "message":
            text = _text(it.get("content"))
            if text and text[0] not in "<#":
                n = 0
    return n


def served_usage(turn: dict, default_input: int, default_output: int) -> dict[str, int]:
    """The token counts a turn reports: its "usage", or the defaults."""
    given = turn.get("usage") or {}
    return {"input": int(given.get("input", default_input)), "output": int(given.get("output", default_output)),
            "cache_read": int(given.get("cache_read", 0)), "cache_write": int(given.get("cache_write", 0))}


class Script:
    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def turn(self, index: int) -> dict:
        turns = self.spec.get("turns", [])
        if index < len(turns):
            return turns[index]
        if self.spec.get("loop") and turns:
            start = self.spec.get("loop_from", 0)
            return turns[start + (index - start) % (len(turns) - start)]
        return self.spec.get("after_end", {"text": "Done."})


def claude_tools(turn: dict, repo: str) -> list[dict]:
    def path(rel: str) -> str:
        return rel if rel.startswith("/") else f"{repo}/{rel}"

    tools = []
    if "read" in turn:
        tools.append({"name": "Read", "input": {"file_path": path(turn["read"])}})
    if "write" in turn:
        tools.append({"name": "Write", "input": {"file_path": path(turn["write"][0]), "content": turn["write"][1]}})
    if "shell" in turn:
        tools.append({"name": "Bash", "input": {"command": turn["shell"], "description": turn.get("description", "Run a command")}})
    return tools


def codex_calls(turn: dict, offered: list[str]) -> list[dict]:
    commands = []
    if "read" in turn:
        commands.append(f"cat {shlex.quote(turn['read'])}")
    if "write" in turn:
        commands.append(f"printf %s {shlex.quote(turn['write'][1])} > {shlex.quote(turn['write'][0])}")
    if "shell" in turn:
        commands.append(turn["shell"])
    name = next((n for n in SHELL_TOOLS if n in offered), "shell_command")
    calls = []
    for command in commands:
        args: dict = {"cmd": command} if name == "exec_command" else {"command": ["bash", "-lc", command] if name == "shell" else command}
        if turn.get("escalate"):
            args |= {"sandbox_permissions": "require_escalated", "justification": turn["escalate"]}
        calls.append({"name": name, "arguments": json.dumps(args), "call_id": f"call_{next(_ids):06d}"})
    return calls


def chat_turn(messages: list[dict]) -> int:
    """Tool results since the last user message (Chat Completions: OpenCode)."""
    n = 0
    for m in messages:
        if m.get("role") == "tool":
            n += 1
        elif m.get("role") == "user" and _text(m.get("content")) and not _text(m.get("content")).startswith("<"):
            n = 0
    return n


def opencode_calls(turn: dict, repo: str) -> list[dict]:
    def path(rel: str) -> str:
        return rel if rel.startswith("/") else f"{repo}/{rel}"

    calls = []
    if "read" in turn:
        calls.append(("read", {"filePath": path(turn["read"])}))
    if "write" in turn:
        calls.append(("write", {"filePath": path(turn["write"][0]), "content": turn["write"][1]}))
    if "shell" in turn:
        calls.append(("bash", {"command": turn["shell"], "description": turn.get("description", "Run a command")}))
    return [{"id": f"call_{next(_ids):06d}", "type": "function", "function": {"name": n, "arguments": json.dumps(a)}} for n, a in calls]


def _words(text: str) -> list[str]:
    words = re.findall(r"\S+\s*|\s+", text) or [""]
    return ["".join(words[i : i + 3]) for i in range(0, len(words), 3)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Script
    log_path: Path | None = None
    lock = threading.Lock()

    def log_message(self, *args) -> None:  # quiet
        pass

    def _log(self, **record) -> None:
        if self.log_path is not None:
            with self.lock, open(self.log_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"t": time.time(), **record}) + "\n")

    def _json(self, code: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_CONNECT(self) -> None:
        self._log(refused=self.path)
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def do_GET(self) -> None:
        if "/models" in self.path and not self.path.startswith("http"):
            return self._json(200, {"data": [{"id": "mock-model", "type": "model", "object": "model"}], "models": [], "has_more": False})
        self._json(404 if self.path.startswith("http") else 200, {})

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
            raw = gzip.decompress(raw)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        path = self.path.split("?")[0].rstrip("/")
        if path.endswith("/v1/messages"):
            self._anthropic(body)
        elif path.endswith("/responses"):
            self._openai(body)
        elif path.endswith("/chat/completions"):
            self._chat(body)
        elif path.endswith("count_tokens"):
            self._json(200, {"input_tokens": max(1, len(raw) // 4)})
        else:
            self._json(404 if path.startswith("http") else 200, {})

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _event(self, name: str, data: dict) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n".encode())
        self.wfile.flush()

    # --- Anthropic Messages -------------------------------------------------
    def _anthropic(self, body: dict) -> None:
        offered = {t.get("name") for t in body.get("tools") or []}
        if offered & {"Bash", "Read", "Write"}:
            index = claude_turn(body.get("messages", []))
            turn = self.script.turn(index)
            system = json.dumps(body.get("system", ""))
            found = re.search(r"[Ww]orking directory: ([^\s\"\\]+)", system)
            tools = claude_tools(turn, found.group(1) if found else ".")
        else:  # a side request (title, summary)
            index, turn, tools = None, {"text": '{"title": "Scripted session", "isNewTopic": false}'}, []
        time.sleep(float(turn.get("delay", 0.3)))
        served = served_usage(turn, 100, 20)
        self._log(api="anthropic", turn=index, tools=[t["name"] for t in tools], usage=served)  # when the answer starts
        content = ([{"type": "text", "text": turn["text"]}] if turn.get("text") else []) + [
            {"type": "tool_use", "id": f"toolu_{next(_ids):06d}", **t} for t in tools
        ]
        content = content or [{"type": "text", "text": "(empty)"}]
        stop = "tool_use" if tools else "end_turn"
        # as the real API: message_start has the prompt's counts and a first output count,
        # message_delta the final output count
        usage = {"input_tokens": served["input"], "cache_creation_input_tokens": served["cache_write"],
                 "cache_read_input_tokens": served["cache_read"], "output_tokens": 1 if body.get("stream") else served["output"]}
        message = {"id": f"msg_{next(_ids):06d}", "type": "message", "role": "assistant", "model": body.get("model", "mock"), "usage": usage}
        if not body.get("stream"):
            return self._json(200, {**message, "content": content, "stop_reason": stop, "stop_sequence": None})
        self._stream()
        try:
            self._event("message_start", {"message": {**message, "content": [], "stop_reason": None, "stop_sequence": None}})
            for i, block in enumerate(content):
                if block["type"] == "text":
                    self._event("content_block_start", {"index": i, "content_block": {"type": "text", "text": ""}})
                    for piece in _words(block["text"]):
                        self._event("content_block_delta", {"index": i, "delta": {"type": "text_delta", "text": piece}})
                        time.sleep(float(turn.get("chunk_delay", 0.03)))
                else:
                    self._event("content_block_start", {"index": i, "content_block": {**block, "input": {}}})
                    self._event("content_block_delta", {"index": i, "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}})
                self._event("content_block_stop", {"index": i})
            self._event("message_delta", {"delta": {"stop_reason": stop, "stop_sequence": None}, "usage": {"output_tokens": served["output"]}})
            self._event("message_stop", {})
        except (BrokenPipeError, ConnectionResetError):
            pass

    # --- OpenAI Responses ---------------------------------------------------
    def _openai(self, body: dict) -> None:
        offered = [t.get("name") or t.get("type") for t in body.get("tools") or [] if isinstance(t, dict)]
        items = body.get("input") if isinstance(body.get("input"), list) else []
        if set(offered) & set(SHELL_TOOLS):
            index = codex_turn([it for it in items if isinstance(it, dict)])
            turn = self.script.turn(index)
            calls = codex_calls(turn, offered)
        else:  # a side request (the task title: a JSON schema answer)
            schema = ((body.get("text") or {}).get("format") or {}).get("schema") or {}
            answer = {key: "Scripted session" for key in schema.get("properties", {})} or {"title": "Scripted session"}
            index, turn, calls = None, {"text": json.dumps(answer), "delay": 0.1}, []
        time.sleep(float(turn.get("delay", 0.3)))
        served = served_usage(turn, 1000, 40)
        self._log(api="openai", turn=index, calls=[c["arguments"] for c in calls], usage=served)  # when the answer starts
        response = {"id": f"resp_{next(_ids):06d}", "object": "response", "created_at": int(time.time()), "model": body.get("model", "mock"), "output": []}
        self._stream()
        seq = itertools.count()

        def event(name: str, data: dict) -> None:
            self._event(name, {**data, "sequence_number": next(seq)})

        output = []
        try:
            event("response.created", {"response": {**response, "status": "in_progress"}})
            if turn.get("text"):
                item = {"type": "message", "id": f"msg_{next(_ids):06d}", "role": "assistant", "status": "in_progress", "content": []}
                at = {"item_id": item["id"], "output_index": 0, "content_index": 0}
                event("response.output_item.added", {"output_index": 0, "item": item})
                event("response.content_part.added", {**at, "part": {"type": "output_text", "text": "", "annotations": []}})
                for piece in _words(turn["text"]):
                    event("response.output_text.delta", {**at, "delta": piece, "logprobs": []})
                    time.sleep(float(turn.get("chunk_delay", 0.03)))
                part = {"type": "output_text", "text": turn["text"], "annotations": []}
                event("response.output_text.done", {**at, "text": turn["text"], "logprobs": []})
                event("response.content_part.done", {**at, "part": part})
                output.append({**item, "status": "completed", "content": [part]})
                event("response.output_item.done", {"output_index": 0, "item": output[-1]})
            for call in calls:
                item = {"type": "function_call", "id": f"fc_{next(_ids):06d}", "status": "completed", **call}
                event("response.output_item.added", {"output_index": len(output), "item": {**item, "arguments": "", "status": "in_progress"}})
                event("response.function_call_arguments.done", {"item_id": item["id"], "output_index": len(output), "arguments": call["arguments"]})
                event("response.output_item.done", {"output_index": len(output), "item": item})
                output.append(item)
            prompt = served["input"] + served["cache_read"]  # OpenAI counts cached tokens inside input_tokens
            usage = {"input_tokens": prompt, "input_tokens_details": {"cached_tokens": served["cache_read"]}, "output_tokens": served["output"],
                     "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": prompt + served["output"]}
            event("response.completed", {"response": {**response, "status": "completed", "output": output, "usage": usage}})
        except (BrokenPipeError, ConnectionResetError):
            pass

    # --- OpenAI Chat Completions (OpenCode) -----------------------------------
    def _chat(self, body: dict) -> None:
        offered = {(t.get("function") or {}).get("name") for t in body.get("tools") or [] if isinstance(t, dict)}
        messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
        if "bash" in offered:
            index = chat_turn(messages)
            turn = self.script.turn(index)
            system = " ".join(_text(m.get("content")) for m in messages if m.get("role") == "system")
            found = re.search(r"[Ww]orking directory: ([^\s\"\\<]+)", system)
            calls = opencode_calls(turn, found.group(1) if found else ".")
        else:  # a side request (the session title)
            index, turn, calls = None, {"text": "Scripted session", "delay": 0.1}, []
        time.sleep(float(turn.get("delay", 0.3)))
        self._log(api="chat", turn=index, calls=[c["function"]["arguments"] for c in calls])
        self._stream()
        try:
            self.wfile.write(_chat_chunk({"role": "assistant", "content": ""}))
            for piece in _words(turn.get("text") or ""):
                self.wfile.write(_chat_chunk({"content": piece}))
                self.wfile.flush()
                time.sleep(float(turn.get("chunk_delay", 0.03)))
            for i, call in enumerate(calls):
                self.wfile.write(_chat_chunk({"tool_calls": [{"index": i, **call}]}))
            self.wfile.write(_chat_chunk({}, "tool_calls" if calls else "stop"))
            usage = {"prompt_tokens": 1000, "completion_tokens": 40, "total_tokens": 1040}
            self.wfile.write(f"data: {json.dumps({'id': 'chatcmpl-fake', 'object': 'chat.completion.chunk', 'choices': [], 'usage': usage})}\n\ndata: [DONE]\n\n".encode())
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _chat_chunk(delta: dict, finish: str | None = None) -> bytes:
    chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()), "model": "mock-model"}
    chunk["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
    return f"data: {json.dumps(chunk)}\n\n".encode()


def serve(spec: dict, port: int = 0, log: Path | None = None) -> ThreadingHTTPServer:
    """Start the fake API for scenario `spec` in a background thread; `server.server_port` is its port."""
    handler = type("ScriptedHandler", (Handler,), {"script": Script(spec), "log_path": log})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", type=Path)
    args = parser.parse_args()
    server = serve(json.loads(args.scenario.read_text(encoding="utf-8")), args.port, args.log)
    print(f"fake API on 127.0.0.1:{server.server_port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
