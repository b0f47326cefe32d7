'use strict';
// Benchmark plugin (scenarios hello and churn): the same two PDK calls as io.kjps.bench.plugins.BenchHello.

class BenchHello {
  constructor(config) {
    this.config = config
  }

  async access(kong) {
    const name = await kong.request.getHeader("x-name")
    await kong.response.setHeader("x-hello", this.config.greeting + " " + name)
  }
}

module.exports = {
  Plugin: BenchHello,
  Name: 'bench-hello',
  Schema: [
    { greeting: { type: "string", default: "hello" } },
  ],
  Version: '0.1.0',
  Priority: 1000,
}
