#!/usr/bin/python3
"""Reference encodings from the official SentencePiece library, for the tokenizer tests.

Reads one JSON object from stdin:
  {"model": PATH, "config": PATH to tokenizer_config JSON (needed for prompts),
   "texts": [str, ...], "prompts": [str, ...], "types": bool}
and prints one JSON object:
  {"version": str,
   "texts": [[id, ...], ...], "prompts": [[id, ...], ...],
   "textsNoUserDefined": [[id, ...], ...], "promptsNoUserDefined": [[id, ...], ...],
   "types": [int, ...], "flags": [str, ...]   (these two only if "types" is true)}

A text is `sp.encode(text)`. A prompt is split at the special strings that the Hugging Face
config names (added_tokens_decoder); each special string gives its id and each text run
between them gives `sp.encode(run)`, which is what the model's Hugging Face tokenizer does.

The model's user-defined pieces (`<mask>`, `<pad>`, `<CLS>`, `<RESERVED_000>`...; ids 3-351)
are matched in the text by SentencePiece, so `sp.encode("<pad>")` gives id 4. The project's
tokenizer never lets text produce those ids. The "...NoUserDefined" lists come from the same
model with those pieces retyped as control pieces, which SentencePiece never matches in text:
what the model does when they cannot be matched. For text without those strings both lists
are the same.

"types" are the ModelProto piece types (1 normal, 2 unknown, 3 control, 4 user-defined,
5 unused, 6 byte); "flags" hold, per id, "u" is_unknown, "c" is_control, "x" is_unused,
"b" is_byte as the library reports them.

Run with Debian's /usr/bin/python3, which sees python3-sentencepiece.
"""
import json
import re
import sys

import sentencepiece


def varint(data, at):
    result = shift = 0
    while True:
        b = data[at]
        at += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, at


def fields(data):
    """Yields (field number, wire type, value) of a serialized protobuf message."""
    at = 0
    while at < len(data):
        key, at = varint(data, at)
        wire = key & 7
        if wire == 0:
            value, at = varint(data, at)
        elif wire == 1:
            value, at = data[at:at + 8], at + 8
        elif wire == 5:
            value, at = data[at:at + 4], at + 4
        elif wire == 2:
            length, at = varint(data, at)
            value, at = data[at:at + length], at + length
        else:
            raise ValueError("unsupported wire type %d" % wire)
        yield key >> 3, wire, value


def retype_user_defined_as_control(model_proto):
    """The model with each user-defined piece's type (varint 4) rewritten as control (3)."""
    data = bytearray(model_proto)
    at = 0
    while at < len(data):
        key, at = varint(data, at)
        wire = key & 7
        if wire != 2:
            raise ValueError("unexpected top-level wire type %d" % wire)
        length, at = varint(data, at)
        end = at + length
        if key >> 3 == 1:
            inner = at
            while inner < end:
                inner_key, inner = varint(data, inner)
                inner_wire = inner_key & 7
                if inner_key == (3 << 3):
                    if data[inner] == 4:
                        data[inner] = 3
                    _, inner = varint(data, inner)
                elif inner_wire == 0:
                    _, inner = varint(data, inner)
                elif inner_wire == 5:
                    inner += 4
                elif inner_wire == 2:
                    n, inner = varint(data, inner)
                    inner += n
                else:
                    raise ValueError("unexpected piece wire type %d" % inner_wire)
        at = end
    return bytes(data)


def piece_types(model_proto):
    """Type of each piece (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte)."""
    types = []
    for field, _, value in fields(model_proto):
        if field == 1:
            kind = 1
            for f, _, v in fields(value):
                if f == 3:
                    kind = v
            types.append(kind)
    return types


def encode_prompts(sp, prompts, special):
    pattern = re.compile("|".join(re.escape(s) for s in sorted(special, key=len, reverse=True)))
    encoded = []
    for prompt in prompts:
        ids, at = [], 0
        for m in pattern.finditer(prompt):
            if m.start() > at:
                ids += sp.encode(prompt[at:m.start()])
            ids.append(special[m.group(0)])
            at = m.end()
        if at < len(prompt):
            ids += sp.encode(prompt[at:])
        encoded.append(ids)
    return encoded


def main():
    request = json.load(sys.stdin)
    official = sentencepiece.SentencePieceProcessor(model_file=request["model"])
    no_user_defined = sentencepiece.SentencePieceProcessor(
        model_proto=retype_user_defined_as_control(official.serialized_model_proto()))
    texts = request.get("texts", [])
    prompts = request.get("prompts", [])
    reply = {"version": getattr(sentencepiece, "__version__", "?")}
    reply["texts"] = [official.encode(t) for t in texts]
    reply["textsNoUserDefined"] = [no_user_defined.encode(t) for t in texts]
    if prompts:
        with open(request["config"], encoding="utf-8") as f:
            added = json.load(f)["added_tokens_decoder"]
        special = {token["content"]: int(i) for i, token in added.items()}
        reply["prompts"] = encode_prompts(official, prompts, special)
        reply["promptsNoUserDefined"] = encode_prompts(no_user_defined, prompts, special)
    if request.get("types"):
        reply["types"] = piece_types(official.serialized_model_proto())
        reply["flags"] = [
            ("u" if official.is_unknown(i) else "")
            + ("c" if official.is_control(i) else "")
            + ("x" if official.is_unused(i) else "")
            + ("b" if official.is_byte(i) else "")
            for i in range(official.get_piece_size())
        ]
    json.dump(reply, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
