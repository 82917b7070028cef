"""A small Kernel app: open a page in a cloud browser and report its title.

Deploy it with Kernel for PowerShell:

    New-KernelDeployment -Path ./examples/page-title -EntrypointRelPath main.py | Wait-KernelDeployment

Invoke it with the Kernel CLI: kernel invoke page-title get-page-title --payload '{"url": "https://example.com"}'
"""

from typing import TypedDict
from urllib.parse import urlparse

import kernel
from kernel import Kernel
from playwright.async_api import async_playwright

client = Kernel()

app = kernel.App("page-title")


class PageTitleInput(TypedDict):
    url: str


class PageTitleOutput(TypedDict):
    title: str


class HealthOutput(TypedDict):
    ok: bool


@app.action("get-page-title")
async def get_page_title(ctx: kernel.KernelContext, input_data: PageTitleInput) -> PageTitleOutput:
    """Opens input_data["url"] in a Kernel browser and returns the page's <title>."""
    url = input_data.get("url") or ""
    if not url.startswith(("http://", "https://")):
        url = f"https://{url}"
    if not urlparse(url).netloc:
        raise ValueError(f"Invalid URL: {url}")

    kernel_browser = client.browsers.create(invocation_id=ctx.invocation_id, stealth=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.connect_over_cdp(kernel_browser.cdp_ws_url)
        try:
            context = browser.contexts[0] if browser.contexts else await browser.new_context()
            page = context.pages[0] if context.pages else await context.new_page()
            await page.goto(url)
            return {"title": await page.title()}
        finally:
            await browser.close()
            client.browsers.delete_by_id(kernel_browser.session_id)


@app.action("health")
async def health(ctx: kernel.KernelContext) -> HealthOutput:
    """Answers without a browser: a cheap check that the deployment serves invocations."""
    return {"ok": True}
