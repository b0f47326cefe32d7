'use strict';
// Benchmark plugin (scenario headers): ten kong.request.get_headers calls, as io.kjps.bench.plugins.BenchHeaders.

class BenchHeaders {
  constructor(config) {
    this.config = config
  }

  async access(kong) {
    let n = 0
    for (let i = 0; i < 10; i++) {
      const headers = await kong.request.getHeaders()
      n += Object.keys(headers).length
    }
    if (n < 0) {
      throw new Error("unreachable")
    }
  }
}

module.exports = {
  Plugin: BenchHeaders,
  Name: 'bench-headers',
  Schema: [],
  Version: '0.1.0',
  Priority: 1000,
}
