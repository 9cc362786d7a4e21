import Hummingbird
import ShopModel

/// ShopHTML renders the storefront's pages for people: the home page, an order confirmation and an error page.
enum ShopHTML {
    static func home(_ page: HomePage, base: BasePath = .root) -> String {
        let banner = page.ad.map { ad in
            #"<aside class="ad" aria-label="Advertisement"><a href="\#(escape(base.link(ad.url)))">\#(escape(ad.text))</a></aside>"#
        } ?? ""
        let count = page.cartCount.map(String.init) ?? "unknown"
        let products = page.products.map { product in
            """
            <li class="product" id="\(escape(product.sku))">
              <h2>\(escape(product.name))</h2>
              <p class="price">\(price(product.priceCents))</p>
              <form method="post" action="\(base.link("/cart/add"))">
                <input type="hidden" name="sku" value="\(escape(product.sku))">
                <button type="submit" aria-label="Add \(escape(product.name)) to cart">Add to cart</button>
              </form>
            </li>
            """
        }.joined(separator: "\n")
        return layout(title: "Demo coffee shop", base: base, body: """
            \(banner)
            <section aria-labelledby="cart-heading" class="cart">
              <h2 id="cart-heading">Your cart</h2>
              <p>Items in cart: <strong id="cart-count">\(count)</strong></p>
              <form method="post" action="\(base.link("/checkout"))"><button type="submit">Check out</button></form>
            </section>
            <ul class="products" aria-label="Products">
            \(products)
            </ul>
            """)
    }

    static func confirmation(_ order: Order, base: BasePath = .root) -> String {
        let lines = order.items.map { item in
            let name = ProductCatalog.product(sku: item.sku)?.name ?? item.sku
            return "<li>\(item.qty) × \(escape(name))</li>"
        }.joined()
        return layout(title: "Order confirmed", base: base, body: """
            <h2>Thank you! Your order is confirmed.</h2>
            <p>Order number: <strong id="order-id">\(escape(order.orderId))</strong></p>
            <ul>\(lines)</ul>
            <p>Total: <strong>\(price(order.totalCents))</strong></p>
            <p><a href="\(base.link("/"))">Back to the shop</a></p>
            """)
    }

    static func error(_ message: String, base: BasePath = .root) -> String {
        layout(title: "Something went wrong", base: base, body: """
            <h2>Sorry, something went wrong.</h2>
            <p role="alert">\(escape(message))</p>
            <p><a href="\(base.link("/"))">Back to the shop</a></p>
            """)
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    static func price(_ cents: Int) -> String {
        let remainder = cents % 100
        return "$\(cents / 100).\(remainder < 10 ? "0" : "")\(remainder)"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func layout(title: String, base: BasePath, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
          header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #ddd; }
          .ad { background: #fff6d5; border: 1px solid #e8d48a; padding: .75rem 1rem; margin: 1rem 0; border-radius: .4rem; }
          .cart { background: #f3f6fa; padding: .5rem 1rem 1rem; border-radius: .4rem; }
          .products { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
          .product { border: 1px solid #ddd; border-radius: .4rem; padding: 0 1rem 1rem; }
          .product h2 { font-size: 1.05rem; }
          .price { font-weight: 600; }
          button { font: inherit; padding: .4rem .9rem; border-radius: .3rem; border: 1px solid #2a5db0; background: #2f6fd6; color: #fff; cursor: pointer; }
        </style>
        </head>
        <body>
        <header><h1>Demo coffee shop</h1><a href="\(base.link("/"))">Home</a></header>
        <main>
        \(body)
        </main>
        </body>
        </html>
        """
    }
}
