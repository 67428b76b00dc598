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
`define DEJFA_ASSERT(name, prop, clk, rst)
`else
`define DEJFA_ASSERT(name, prop, clk, rst) \
  name: assert property (@(posedge clk) disable iff (rst) (prop)) \
    else $error("assertion %s failed in %m", `"name`");
`endif

`endif
