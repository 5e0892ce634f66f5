"""Words of the dossier report in French and English (catalogue codes carry the messages)."""

from __future__ import annotations

from fundtrail.claims.labels import label as claim_label

LABELS: dict[str, tuple[str, str]] = {
    "report-title": ("Dossier", "Dossier"),
    "former-names": ("Anciens noms", "Former names"),
    "identifiers": ("Identifiants", "Identifiers"),
    "no-identifier": ("aucun identifiant connu", "no identifier known"),
    "purpose": ("Objet", "Purpose"),
    "summary": ("Bilan des chiffres annoncés", "Stated figures at a glance"),
    "plan": ("Plan de financement", "Funding plan"),
    "year": ("année", "year"),
    "year-unknown": ("année non indiquée", "year not given"),
    "source": ("Source", "Source"),
    "kind": ("Nature", "Kind"),
    "public": ("Public", "Public"),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "amount": ("Montant", "Amount"),
    "share": ("Part", "Share"),
    "published": ("Subventions publiées", "Published grants"),
    "aggregates": ("Totaux et parts", "Totals and shares"),
    "total": ("Total", "Total"),
    "private": ("Financement non public", "Non-public funding"),
    "cash-grant": ("Subventions en numéraire", "Cash grants"),
    "in-kind": ("Apports en nature", "In-kind contributions"),
    "own-revenue": ("Recettes propres", "Own revenue"),
    "loan": ("Prêts", "Loans"),
    "other": ("Autre", "Other"),
    "hhi-note": (
        "somme des carrés des parts (en %) : 10 000 pour une seule source, moins de 1 500 "
        "pour des sources peu concentrées",
        "sum of the squared shares (in %): 10,000 for a single source, under 1,500 for "
        "unconcentrated sources",
    ),
    "statements": ("Chiffres annoncés par les documents", "Figures the documents state"),
    "quote": ("Citation", "Quote"),
    "document": ("Document", "Document"),
    "growths": ("Évolution entre plans", "Growth between plans"),
    "costs": ("Coût par résultat", "Cost per outcome"),
    "outcome": ("Résultat", "Outcome"),
    "per-unit": ("par unité", "per unit"),
    "money": ("Argent", "Money"),
    "targets-outcomes": ("Objectifs et résultats", "Targets and outcomes"),
    "reconciliation": (
        "Rapprochement avec les subventions publiées",
        "Reconciliation with published grants",
    ),
    "sources": ("Sources", "Sources"),
    "date-unknown": ("date non indiquée", "date not given"),
    "chart-title": ("Plan de financement par source", "Funding plan by source"),
    "generated": (
        "Rapport produit par fundtrail à partir du fichier",
        "Report produced by fundtrail from the file",
    ),
    "grant": ("subvention", "grant"),
    "row": ("ligne", "row"),
    "source-file": ("fichier source", "source file"),
    "none": ("aucun", "none"),
    "deliberation": ("délibération", "deliberation"),
    "activity-report": ("rapport d'activité", "activity report"),
    "budget": ("budget", "budget"),
    "article": ("article", "article"),
    "accounts": ("comptes", "accounts"),
    "convention": ("convention", "convention"),
}


def label(key: str, lang: str = "fr") -> str:
    """Return the word for ``key`` in ``lang``, falling back on the claim checker's words."""
    pair = LABELS.get(key)
    if pair is None:
        return claim_label(key, lang)
    return pair[1] if lang == "en" else pair[0]
