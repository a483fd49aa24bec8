"""Data product pages: the products dc43 pipelines registered, and the contract version each port is bound to."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dc43_portal.accounts import roles
from dc43_portal.contracts.views.pages import read_access
from dc43_portal.governance import selectors as governance
from dc43_portal.governance.models import DataProduct

PAGE_SIZE = 50


@require_safe
@read_access
def product_list(request: HttpRequest) -> HttpResponse:
    products = governance.data_products(roles.readable_domains(request.user)).order_by("product_id")
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/products.html", {"page": page, "nav": "products"})


@require_safe
@read_access
def product_detail(request: HttpRequest, product_id: str) -> HttpResponse:
    try:
        product, current, ports, hidden = governance.data_product_get(product_id, roles.readable_domains(request.user))
    except DataProduct.DoesNotExist:
        raise Http404(f"data product {product_id} not found") from None
    context = {
        "product": product,
        "current": current,
        "inputs": [p for p in ports if p.direction == "input"],
        "outputs": [p for p in ports if p.direction == "output"],
        "hidden_ports": hidden,
        "versions": governance.product_versions(product),
        "nav": "products",
    }
    return render(request, "governance/product.html", context)
