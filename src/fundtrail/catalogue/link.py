"""Catalogue entries owned by the link step (see fundtrail.catalogue).

Link methods are codes too: a grant link stores its method code and a short,
language-neutral detail (identifiers, the names compared, the score); the sentence that
explains the link is ``render(method, lang, detail)``.
"""

from __future__ import annotations

from fundtrail.catalogue import Entry

ENTRIES: list[Entry] = [
    # how a grant party was linked to an organisation
    Entry("link-identifier", "issue", "info",
          "Lié par l'identifiant publié (SIRET ou SIREN valide)",
          "Linked by the published identifier (valid SIRET or SIREN)"),
    Entry("link-rna", "issue", "info",
          "Lié par le numéro RNA publié",
          "Linked by the published RNA number"),
    Entry("link-repaired-identifier", "issue", "info",
          "Lié par un identifiant réparé à la lecture (voir le journal des réparations)",
          "Linked by an identifier repaired at ingest (see the repair log)"),
    Entry("link-damaged-identifier", "issue", "info",
          "Lié par les chiffres restants d'un SIRET abîmé (nombre à virgule) et un nom proche",
          "Linked by the surviving digits of a SIRET damaged into a float and a close name"),
    Entry("link-reference-name", "issue", "info",
          "Lié par le nom d'une collectivité de la liste de référence, qui donne son SIREN",
          "Linked by the name of a public body in the reference list, which gives its SIREN"),
    Entry("link-name", "issue", "info",
          "Lié par le nom normalisé, identique à un nom déjà vu pour un seul organisme identifié",
          "Linked by the normalised name, equal to a name already seen for one identified "
          "organisation only"),
    Entry("link-name-reordered", "issue", "info",
          "Lié par les mêmes mots du nom dans un autre ordre, vus pour un seul organisme identifié",
          "Linked by the same name words in another order, seen for one identified "
          "organisation only"),
    Entry("link-name-only", "issue", "info",
          "Aucun identifiant ni nom connu : organisme interne regroupant les lignes de même nom "
          "normalisé",
          "No identifier and no known name: internal organisation grouping the rows with the "
          "same normalised name"),
    Entry("link-manual", "issue", "info",
          "Lié par une décision manuelle du fichier de décisions",
          "Linked by a manual decision of the decisions file"),
    # why a candidate went to the review list instead of being linked
    Entry("link-ambiguous-name", "issue", "warning",
          "Nom normalisé porté par plusieurs organismes identifiés : à trancher à la main",
          "Normalised name carried by several identified organisations: to be decided by hand"),
    Entry("link-similar-name", "issue", "info",
          "Nom proche d'un organisme identifié, sous le seuil de liaison automatique",
          "Name close to an identified organisation, below the automatic linking threshold"),
    Entry("link-place-mismatch", "issue", "warning",
          "Même nom qu'un organisme identifié, mais le code postal publié est dans un autre "
          "département : à trancher à la main",
          "Same name as an identified organisation, but the published postcode is in another "
          "département: to be decided by hand"),
    Entry("link-rejected", "issue", "info",
          "Lien écarté par une décision manuelle « ne pas lier »",
          "Link rejected by a manual 'do not link' decision"),
    # duplicate rules
    Entry("duplicate-same-grant", "issue", "info",
          "Même subvention publiée plusieurs fois (même attribuant, bénéficiaire, montant, nature "
          "du montant, date ou année, objet et référence de décision) : comptée une seule fois",
          "Same grant published several times (same funder, beneficiary, amount, amount kind, "
          "date or year, purpose and decision reference): counted once"),
    # watchdog signals (fundtrail.analysis.signals): each names its rule; the threshold and
    # the measured figure travel with the signal as data
    Entry("signal-sudden-growth", "issue", "warning",
          "Croissance soudaine : une année dépasse 3 fois la médiane des années précédentes",
          "Sudden growth: one year exceeds 3 times the median of the previous years"),
    Entry("signal-dependence", "issue", "warning",
          "Dépendance : plus de 80 % des montants reçus viennent d'un seul financeur",
          "Dependence: more than 80% of the amounts received come from one funder"),
    Entry("signal-threshold-splitting", "issue", "warning",
          "Fractionnement : plusieurs subventions d'un même financeur en 90 jours, chacune sous "
          "23 000 €, ensemble au-dessus",
          "Threshold splitting: several grants from one funder within 90 days, each under "
          "€23,000, together above it"),
    Entry("signal-unit-error", "issue", "warning",
          "Montants invraisemblables : la médiane d'une source est environ 100 fois celle de "
          "l'ensemble des sources",
          "Implausible amounts: a source's median is about 100 times that of all sources"),
    Entry("signal-closed-organisation", "issue", "warning",
          "Subvention à un organisme fermé au registre à la date de la subvention",
          "Grant to an organisation closed in the register at the grant date"),
    Entry("signal-same-amount-same-day", "issue", "warning",
          "Même montant attribué deux fois le même jour au même bénéficiaire",
          "Same amount granted twice on the same day to the same beneficiary"),
    # refusals of the link commands
    Entry("decisions-invalid", "refusal", "error",
          "Fichier de décisions illisible ou mal formé",
          "Decisions file unreadable or malformed"),
]  # fmt: skip
