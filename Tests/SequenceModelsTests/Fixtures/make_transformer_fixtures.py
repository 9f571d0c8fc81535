#!/usr/bin/env python3
"""Writes PyTorch reference values for the core library's self-attention parts, in float64.

Each fixture holds a module's parameters (PyTorch's names and layout, every one drawn at random so that no
term hides behind a zero bias or a unit scale), its batch-first inputs [B, T, d], a random read-out R,
the forward output, and the gradients of L = sum(R * output) with respect to every parameter and input.

- mha_self_masked: nn.MultiheadAttention(8, 2) as self-attention (one input X as query, key and value),
  with a causal attn_mask and a key_padding_mask for sequences of lengths KEY_LENGTHS (padding at the end).
- mha_cross: nn.MultiheadAttention(8, 2) with queries [B, 4, 8] and keys = values [B, 6, 8], no mask.
- layernorm: nn.LayerNorm(6) (eps 1e-5) on [7, 6].
- encoder_layer: nn.TransformerEncoderLayer(8, 2, 16, dropout=0, batch_first=True, norm_first=False),
  with src_key_padding_mask for lengths KEY_LENGTHS.
- decoder_layer: nn.TransformerDecoderLayer(8, 2, 16, dropout=0, batch_first=True, norm_first=False),
  with a causal tgt_mask, target [B, 4, 8] and memory [B, 6, 8].

Run from the repository root, with torch installed in a virtual environment outside it:
    python Tests/SequenceModelsTests/Fixtures/make_transformer_fixtures.py
"""
import json, os, zlib
import torch

B, D, HEADS, FF = 2, 8, 2, 16
KEY_LENGTHS = [5, 3]
HERE = os.path.dirname(os.path.abspath(__file__))


def as_list(t):
    return t.detach().reshape(-1).tolist()


def randomise(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p) * 0.5)


def padding_mask(lengths, T):
    return torch.tensor([[j >= n for j in range(T)] for n in lengths])


def causal(Tq, Tk):
    return torch.tensor([[j > i for j in range(Tk)] for i in range(Tq)])


def write(name, module, inputs, run):
    """Runs `run(**inputs)`, reads it out with a random R, and writes parameters, output and gradients."""
    out = run(**inputs)
    r = torch.randn_like(out)
    (r * out).sum().backward()
    data = {"inputs": {k: as_list(v) for k, v in inputs.items()},
            "inputGradients": {k: as_list(v.grad) for k, v in inputs.items()},
            "parameters": {n: as_list(p) for n, p in module.named_parameters()},
            "parameterNames": [n for n, _ in module.named_parameters()],
            "gradients": {n: as_list(p.grad) for n, p in module.named_parameters()},
            "readOut": as_list(r), "output": as_list(out)}
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(data, f)
    print("wrote", name)


def tensor(*shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()))


def main():
    torch.set_default_dtype(torch.float64)

    seed("mha_self_masked")
    mha = torch.nn.MultiheadAttention(D, HEADS, batch_first=True)
    randomise(mha)
    write("mha_self_masked", mha, {"x": tensor(B, 5, D)},
          lambda x: mha(x, x, x, attn_mask=causal(5, 5), key_padding_mask=padding_mask(KEY_LENGTHS, 5), need_weights=False)[0])

    seed("mha_cross")
    mha = torch.nn.MultiheadAttention(D, HEADS, batch_first=True)
    randomise(mha)
    write("mha_cross", mha, {"query": tensor(B, 4, D), "keyValue": tensor(B, 6, D)},
          lambda query, keyValue: mha(query, keyValue, keyValue, need_weights=False)[0])

    seed("layernorm")
    norm = torch.nn.LayerNorm(6)
    randomise(norm)
    write("layernorm", norm, {"x": tensor(7, 6)}, lambda x: norm(x))

    seed("encoder_layer")
    encoder = torch.nn.TransformerEncoderLayer(D, HEADS, FF, dropout=0.0, batch_first=True, norm_first=False)
    randomise(encoder)
    write("encoder_layer", encoder, {"x": tensor(B, 5, D)},
          lambda x: encoder(x, src_key_padding_mask=padding_mask(KEY_LENGTHS, 5)))

    seed("decoder_layer")
    decoder = torch.nn.TransformerDecoderLayer(D, HEADS, FF, dropout=0.0, batch_first=True, norm_first=False)
    randomise(decoder)
    write("decoder_layer", decoder, {"x": tensor(B, 4, D), "memory": tensor(B, 6, D)},
          lambda x, memory: decoder(x, memory, tgt_mask=causal(4, 4)))


if __name__ == "__main__":
    main()
