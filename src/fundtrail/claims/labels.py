"""Words shown around the data in French and English (catalogue codes carry the messages)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # relations
    "sum": ("Somme", "Sum"),
    "targets": ("Somme des objectifs", "Sum of targets"),
    "difference": ("Différence", "Difference"),
    "share": ("Part", "Share"),
    "growth": ("Évolution", "Growth"),
    "implied-prior": ("Valeur de départ impliquée", "Implied starting value"),
    "ratio": ("Rapport", "Ratio"),
    "hhi": (
        "Concentration (indice de Herfindahl-Hirschman)",
        "Concentration (Herfindahl-Hirschman index)",
    ),
    "achievement": ("Réalisation de l'objectif", "Target achievement"),
    # statuses, short
    "consistent": ("cohérent", "consistent"),
    "contradicted": ("contredit", "contradicted"),
    "unverifiable": ("invérifiable", "unverifiable"),
    "reported": ("calculé", "computed"),
    # words around
    "stated": ("annoncé", "stated"),
    "computed": ("calculé", "computed"),
    "expected": ("valeur juste à cette précision", "right value at this precision"),
    "implied": ("valeur impliquée", "implied value"),
    "subject": ("objet", "subject"),
    "arithmetic": ("calcul", "arithmetic"),
    "verdict": ("verdict", "verdict"),
    "figures": ("Chiffres relevés", "Figures found"),
    "verdicts": ("Vérifications", "Checks"),
    "text": ("Texte", "Text"),
    "text-check-title": ("Vérification des chiffres d'un texte", "Checking the figures of a text"),
    "no-verdict": ("Aucune relation vérifiable trouvée.", "No checkable relation found."),
    "counts": ("Bilan", "Summary"),
}


def label(key: str, lang: str = "fr") -> str:
    """Return the word for ``key`` in ``lang`` ('fr' or 'en'); the key itself when unknown."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
