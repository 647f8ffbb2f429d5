"""The emotion network: frozen MiniLM lower layers, fine-tuned top layers, three heads."""

from __future__ import annotations

import copy

import torch
from torch import nn
from transformers import AutoModel

SIZES = (28, 7, 4)  # GoEmotions original, Ekman, sentiment groups


def additive_mask(mask: torch.Tensor) -> torch.Tensor:
    """Eager-attention mask: 0 where a token is real, a large negative number on padding."""
    return (1.0 - mask[:, None, None, :].to(torch.float32)) * -1e9


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the token vectors over real tokens (as sentence-transformers pools MiniLM)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


class EmotionNet(nn.Module):
    """MiniLM with its top ``tuned_layers`` copied and trained; the originals stay for export."""

    def __init__(self, encoder_path: str, tuned_layers: int) -> None:
        super().__init__()
        base = AutoModel.from_pretrained(encoder_path, attn_implementation="eager")
        layers = base.encoder.layer
        split = len(layers) - tuned_layers
        self.embeddings = base.embeddings
        self.lower = nn.ModuleList(layers[:split])
        self.original_top = nn.ModuleList(layers[split:])
        self.tuned_top = copy.deepcopy(self.original_top)
        for module in (self.embeddings, self.lower, self.original_top):
            module.requires_grad_(False)
        self.dropout = nn.Dropout(0.1)
        self.heads = nn.Linear(base.config.hidden_size, sum(SIZES))

    def lower_states(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Hidden states after the frozen layers (cacheable: they never change)."""
        hidden = self.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
        extended = additive_mask(mask)
        for layer in self.lower:
            hidden = layer(hidden, extended)
        return hidden

    def emotion_logits(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Logits of all heads from the lower states, through the fine-tuned top layers."""
        extended = additive_mask(mask)
        for layer in self.tuned_top:
            hidden = layer(hidden, extended)
        return self.heads(self.dropout(mean_pool(hidden, mask)))

    def sentence_embedding(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The original all-MiniLM-L6-v2 sentence embedding (L2-normalised mean pool)."""
        extended = additive_mask(mask)
        for layer in self.original_top:
            hidden = layer(hidden, extended)
        return nn.functional.normalize(mean_pool(hidden, mask), dim=-1)
