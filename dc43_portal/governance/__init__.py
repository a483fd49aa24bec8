"""dc43's governance state in the portal database, and dc43's service backends wired to it.

What lives here: the models of dataset ↔ contract links, validation verdicts, pipeline activity, metrics
and data products with their ports (``models``); dc43's store interfaces implemented on those models
(``stores``); the contract backend dc43 sees, which is the portal's own selectors and services
(``contract_backend``); the assembly of dc43's backend classes (``backends``); and the read side the
steward pages use (``selectors``).

It may import Django, ``dc43_portal.contracts`` (its services and selectors, never a store directly),
the pure modules and dc43's libraries; never the API, the views or the admin.
"""
