// SPDX-License-Identifier: Apache-2.0
//
// Inline assertion macros (OpenTitan prim_assert style, names end in _A).
// On in simulation (Verilator --assert), compiled out for synthesis (SYNTHESIS) and for
// benchmark builds (DEJFA_ASSERT_OFF).

`ifndef DEJFA_ASSERT_SVH
`define DEJFA_ASSERT_SVH

// Checked at every rising clock edge outside reset. Properties are plain expressions (Verilator
// 5.006 has no sequence operators); compare against *_q history registers for temporal checks.
`ifdef SYNTHESIS
`define DEJFA_ASSERT(name, prop, clk, rst)
`elsif DEJFA_ASSERT_OFF
// The benchmark model is verilated with -Wall too: history registers that only assertions read
// (the core's latency checks) would be unused there, so the property stays as an unread wire
// (Verilator's *unused* names are not warned about, and its dead-code pass removes it).
`define DEJFA_ASSERT(name, prop, clk, rst) \
  wire logic unused_``name = (prop);
`else
`define DEJFA_ASSERT(name, prop, clk, rst) \
  name: assert property (@(posedge clk) disable iff (rst) (prop)) \
    else $error("assertion %s failed in %m", `"name`");
`endif

`endif
