// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_form.svh"

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
  /// 1: the simulation form (word scan), 0: the synthesis form (tree); see dejfa_form.svh
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
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

  if (SIM_FORM != 0) begin : g_scan
    localparam int unsigned NW = (N + 31) / 32;  // 32-bit words
    always_comb begin : scan
      logic [32*NW-1:0] p;
      logic [31:0]      w;
      logic [4:0]       b;
      int unsigned      wi;
      p = (32*NW)'(v);
      any = |v;
      w = '0;
      wi = 0;
      for (int i = NW - 1; i >= 0; i--) begin
        if (p[32*i +: 32] != '0) begin
          w = p[32*i +: 32];
          wi = i;
        end
      end
      b = '0;
      if (w[15:0] == '0) begin b[4] = 1'b1; w = w >> 16; end
      if (w[7:0] == '0)  begin b[3] = 1'b1; w = w >> 8;  end
      if (w[3:0] == '0)  begin b[2] = 1'b1; w = w >> 4;  end
      if (w[1:0] == '0)  begin b[1] = 1'b1; w = w >> 2;  end
      if (w[0] == 1'b0)  b[0] = 1'b1;
      idx = any ? IW'(32 * wi + 32'(b)) : '0;
    end
  end else begin : g_tree
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
  end
endmodule

`resetall
`default_nettype wire
