"""Which analytics a site may load, and when (issue 16, goal 7).

Analytics are off unless ``extra.analytics`` in mkdocs.yml names a provider
(Material's setting; its partial ``partials/integrations/analytics.html``
includes ``partials/integrations/analytics/<provider>.html`` from our theme
or Material's). Two kinds:

- cookieless (Plausible, GoatCounter): no cookie, nothing stored in the
  browser, no personal data, so no consent banner is needed (the ePrivacy
  rule is about storing or reading on the reader's device). Their partials
  load the script directly, banner or not.
- with cookies (Google Analytics, Google Tag Manager): their partials define
  ``__md_analytics``, which Material's partial runs only when the reader
  accepted "analytics" in Material's consent banner (``extra.consent``). A
  site that names one of them without the banner is refused: they never
  load without consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..content.problems import did_you_mean


@dataclass(frozen=True)
class Provider:
    name: str
    cookies: bool  # sets cookies or tracks across sites: only after consent
    required: tuple[str, ...]  # keys under extra.analytics
    example: str


PROVIDERS = {p.name: p for p in (
    Provider("plausible", False, ("domain",), "{provider: plausible, domain: smartnotes.example.org}"),
    Provider("goatcounter", False, ("code",), "{provider: goatcounter, code: smartnotes}"),
    Provider("google", True, ("property",), "{provider: google, property: G-XXXXXXXXXX}"),
    Provider("tagmanager", True, ("container",), "{provider: tagmanager, container: GTM-XXXXXXX}"),
)}
WHERE = "mkdocs.yml: extra.analytics"


def analytics_problems(extra: Mapping) -> list[str]:
    """What is wrong with ``extra.analytics`` (and ``extra.consent`` for a provider that needs it)."""
    analytics = extra.get("analytics")
    if not analytics:
        return []
    if not isinstance(analytics, Mapping):
        return [f"{WHERE}: {analytics!r} is not a mapping — write e.g. {PROVIDERS['plausible'].example}"]
    name = analytics.get("provider")
    provider = PROVIDERS.get(name) if isinstance(name, str) else None
    if provider is None:
        hint = did_you_mean(str(name), PROVIDERS) or f"use one of {', '.join(map(repr, PROVIDERS))}"
        return [f"{WHERE}.provider: {name!r} is not a provider this site knows — {hint}"]
    problems = [f"{WHERE}.{key}: missing — write e.g. {provider.example}"
                for key in provider.required if not isinstance(analytics.get(key), str) or not analytics.get(key)]
    if provider.cookies and not extra.get("consent"):
        problems.append(f"{WHERE}: {name!r} sets cookies and loads only after the reader's consent — add Material's "
                        "consent banner: extra.consent: {title: …, description: …, actions: [accept, reject, manage]} "
                        "(or choose a cookieless provider: plausible, goatcounter)")
    return problems
