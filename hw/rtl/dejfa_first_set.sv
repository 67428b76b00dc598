// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_first_set: index of the lowest set bit of v (0 when none) and whether any bit is set,
 * combinational, as a tree of 2:1 selections in log2(N) levels.
 *
 * Why a block of its own: the obvious `for (r = N-1; r >= 0; r--) if (v[r]) idx = r;` is a chain
 * of N multiplexers after Yosys' proc pass, and opt does not rebalance it: in the first
 * whole-core synthesis the engine's candidate pick over 256 rules was the core's longest LUT
 * path (149), and the classifier's prefix priority was 268 before it became a tree
 * (docs/HARDWARE.md "Synthesis"). Used wherever a priority over a vector picks an index.
 */
module dejfa_first_set #(
  /// vector width (a power of two, at least 2)
  parameter int unsigned N = 64,
  /// index width (derived)
  localparam int unsigned IW = $clog2(N)
) (
  /// the vector
  input  wire logic [N-1:0]  v,
  /// some bit of v is set
  output logic               any,
  /// the lowest set bit's index (0 when none)
  output logic [IW-1:0]      idx
);
  initial begin
    if (N < 2 || (N & (N - 1)) != 0) $fatal(1, "dejfa_first_set: N must be a power of two >= 2 (%m)");
  end

  // Level k's node i is built in place from nodes 2i and 2i + 1 of level k - 1.
  always_comb begin : tree
    logic [N-1:0]    a;
    logic [N*IW-1:0] x;
    a = v;
    for (int i = 0; i < N; i++) x[IW*i +: IW] = IW'(i);
    for (int k = 1; k <= IW; k++) begin
      for (int i = 0; i < (N >> k); i++) begin
        x[IW*i +: IW] = a[2*i] ? x[IW*2*i +: IW] : x[IW*(2*i+1) +: IW];
        a[i] = a[2*i] | a[2*i+1];
      end
    end
    any = a[0];
    idx = a[0] ? x[IW-1:0] : '0;
  end
endmodule

`resetall
`default_nettype wire
