# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the probe says of one behaviour of the register (docs/reliability.md): what the collection assumes,
what the service did, with the evidence, and whether what the collection depends on held."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

# The results, one per behaviour.
AS_REFERENCE = "as_reference"  # the service did what the emulator does by default
DIFFERS = "differs"  # the service did something else (the collection may still not depend on it)
NOT_OBSERVABLE = "not_observable"  # the data source holds nothing that shows it now
NOT_PROBED = "not_probed"  # seeing it needs a Start or a Stop, or a wait that was not asked for


@dataclass(frozen=True)
class Behaviour:
    """One behaviour of the register: its item number, a key, what the collection assumes of it, and the
    reference (what the emulator shipped with the collection does by default), in the words of ``observed``."""

    item: int
    key: str
    title: str
    assumed: str
    reference: str


@dataclass
class Finding:
    """What one behaviour's probe found. ``holds`` is whether what the collection's answers depend on held:
    True or False when it was checked, None when nothing depends on it or it could not be seen."""

    behaviour: Behaviour
    result: str
    observed: Optional[str]
    summary: str
    holds: Optional[bool] = None
    evidence: List[str] = field(default_factory=list)

    def to_result(self) -> Dict[str, Any]:
        """The finding as the module returns it (RV(behaviours) of qbusiness_service_probe)."""
        b = self.behaviour
        return dict(
            item=b.item,
            key=b.key,
            behaviour=b.title,
            assumed=b.assumed,
            reference=b.reference,
            observed=self.observed,
            result=self.result,
            holds=self.holds,
            summary=self.summary,
            evidence=list(self.evidence),
        )

    def report(self) -> List[str]:
        """The finding as lines for a person to read."""
        b = self.behaviour
        if self.result == DIFFERS:
            verdict = f"DIFFERS: {self.observed} (the emulator: {b.reference})"
        elif self.result == AS_REFERENCE:
            verdict = f"as the emulator: {self.observed}"
        else:
            verdict = self.result.replace("_", " ")
        if self.holds is False:
            verdict += "; what the collection depends on DOES NOT HOLD"
        elif self.holds:
            verdict += "; what the collection depends on holds"
        lines = [f"[{b.item}] {b.title} ({b.key}): {verdict}", f"    assumed: {b.assumed}", f"    service: {self.summary}"]
        lines.extend(f"    evidence: {line}" for line in self.evidence)
        return lines


def observed(behaviour: Behaviour, value: str, summary: str, evidence: List[str], holds: Optional[bool] = None) -> Finding:
    """A behaviour seen: AS_REFERENCE or DIFFERS by comparing ``value`` with the behaviour's reference."""
    result = AS_REFERENCE if value == behaviour.reference else DIFFERS
    return Finding(behaviour, result, value, summary, holds, evidence)


def not_observable(behaviour: Behaviour, summary: str, evidence: List[str], holds: Optional[bool] = None) -> Finding:
    """A behaviour the data source shows nothing of now (no sync running, too few jobs)."""
    return Finding(behaviour, NOT_OBSERVABLE, None, summary, holds, evidence)


def not_probed(behaviour: Behaviour, summary: str) -> Finding:
    """A behaviour the probe does not try (it would need a Start or a Stop, or a wait not asked for)."""
    return Finding(behaviour, NOT_PROBED, None, summary)
