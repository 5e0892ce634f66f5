"""Catalogue entries owned by the analysis step (see fundtrail.catalogue).

Three families: ``dossier-*`` refusals of a malformed dossier file (with line and field),
``claim-*`` verdicts on stated figures and what an unverifiable one would need, and
``grant-*`` outcomes of reconciling a dossier's funding plan with published grants.
"""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
    # A dossier file that cannot be read (fundtrail.dossier.loader).
    Entry(
        "dossier-unreadable",
        "refusal",
        "error",
        "Fichier de dossier illisible",
        "Dossier file cannot be read",
    ),
    Entry(
        "dossier-yaml-syntax", "refusal", "error", "Syntaxe YAML invalide", "Invalid YAML syntax"
    ),
    Entry(
        "dossier-field-missing",
        "refusal",
        "error",
        "Champ obligatoire absent",
        "Required field missing",
    ),
    Entry(
        "dossier-field-unknown",
        "refusal",
        "error",
        "Champ inconnu du format de dossier",
        "Field unknown to the dossier format",
    ),
    Entry(
        "dossier-field-invalid",
        "refusal",
        "error",
        "Valeur non conforme au format de dossier",
        "Value does not fit the dossier format",
    ),
    Entry(
        "dossier-amount-invalid",
        "refusal",
        "error",
        "Montant ou pourcentage illisible",
        "Unreadable amount or percentage",
    ),
    Entry(
        "dossier-reference-unknown",
        "refusal",
        "error",
        "Référence à un élément absent du dossier",
        "Reference to something the dossier does not define",
    ),
    Entry(
        "dossier-duplicate-id",
        "refusal",
        "error",
        "Identifiant défini deux fois",
        "Identifier defined twice",
    ),
    # Verdicts on stated figures (fundtrail.claims, fundtrail.dossier).
    Entry(
        "claim-consistent",
        "issue",
        "info",
        "Cohérent à la précision annoncée",
        "Consistent at the stated precision",
    ),
    Entry(
        "claim-contradicted",
        "issue",
        "warning",
        "Contredit par le calcul",
        "Contradicted by the arithmetic",
    ),
    Entry(
        "claim-unverifiable",
        "issue",
        "info",
        "Invérifiable avec les éléments disponibles",
        "Unverifiable from what is given",
    ),
    Entry(
        "claim-reported",
        "issue",
        "info",
        "Calcul rapporté (aucune valeur annoncée à vérifier)",
        "Computed (no stated value to check)",
    ),
    Entry(
        "claim-needs-whole",
        "issue",
        "info",
        "Il faudrait connaître le total dont cette part est un pourcentage",
        "Needs the whole this part is a percentage of",
    ),
    Entry(
        "claim-needs-both-values",
        "issue",
        "info",
        "Il faudrait connaître la valeur de départ et la valeur d'arrivée",
        "Needs the starting and the final values",
    ),
    Entry(
        "claim-needs-prior-value",
        "issue",
        "info",
        "Il faudrait connaître la valeur de départ ; la valeur qu'implique le taux est indiquée",
        "Needs the starting value; the value the rate implies is shown",
    ),
    Entry(
        "claim-needs-figures",
        "issue",
        "info",
        "Il faudrait les montants auxquels ce chiffre se rapporte",
        "Needs the amounts this figure refers to",
    ),
    Entry(
        "cost-year-mismatch",
        "issue",
        "info",
        "Le plan de financement n'est pas de l'année des résultats (ou son année n'est pas "
        "connue) : le coût est un ordre de grandeur",
        "The funding plan is not of the outcomes' year (or its year is not known): the cost "
        "is an order of magnitude",
    ),
    Entry(
        "claim-zero-base",
        "issue",
        "info",
        "Calcul impossible : il diviserait par zéro (valeur de départ ou total nul)",
        "Cannot compute: it would divide by zero (a zero starting value or total)",
    ),
    # Reconciliation of a funding plan with the store (fundtrail.dossier.reconcile).
    Entry(
        "grant-found-equal",
        "issue",
        "info",
        "Subvention publiée, même montant",
        "Grant published, same amount",
    ),
    Entry(
        "grant-found-other-amount",
        "issue",
        "warning",
        "Subvention publiée avec un autre montant",
        "Grant published with another amount",
    ),
    Entry(
        "grant-not-published",
        "issue",
        "warning",
        "Subvention absente des données publiées alors que le financeur public devait la "
        "publier (plus de 23 000 € par an)",
        "Grant missing from published data although the public funder had to publish it "
        "(over €23,000 a year)",
    ),
    Entry(
        "grant-not-found",
        "issue",
        "info",
        "Aucune subvention publiée correspondante (pas d'obligation de publication connue)",
        "No matching published grant (no known duty to publish)",
    ),
    Entry(
        "grant-not-applicable",
        "issue",
        "info",
        "Ligne sans subvention publique à rapprocher (recettes propres, prêt…)",
        "Line with no public grant to match (own revenue, loan…)",
    ),
    Entry(
        "grant-funder-absent",
        "issue",
        "info",
        "La base ne contient aucune subvention de ce financeur : impossible de dire s'il a publié",
        "The store holds no grant from this funder: cannot tell whether it published",
    ),
    Entry(
        "grant-not-checked",
        "issue",
        "info",
        "Rapprochement non fait : aucune base de subventions fournie",
        "Not reconciled: no grant store given",
    ),
]
