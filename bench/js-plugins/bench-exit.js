'use strict';
// Benchmark plugin (scenario exit): one terminal call, as io.kjps.bench.plugins.BenchExit.

class BenchExit {
  constructor(config) {
    this.config = config
  }

  async access(kong) {
    await kong.response.exit(403, "denied", { "x-why": "bench" })
  }
}

module.exports = {
  Plugin: BenchExit,
  Name: 'bench-exit',
  Schema: [],
  Version: '0.1.0',
  Priority: 1000,
}
