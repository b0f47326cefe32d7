'use strict';
// Benchmark plugin (scenario log): reads kong.log.serialize() in the log phase, as io.kjps.bench.plugins.BenchLog.

class BenchLog {
  constructor(config) {
    this.config = config
  }

  async log(kong) {
    const entry = await kong.log.serialize()
    if (!entry) {
      throw new Error("kong.log.serialize returned nothing")
    }
  }
}

module.exports = {
  Plugin: BenchLog,
  Name: 'bench-log',
  Schema: [],
  Version: '0.1.0',
  Priority: 1000,
}
