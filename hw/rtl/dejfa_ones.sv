// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_form.svh"

/*
 * dejfa_ones: the number of set bits of v, combinational, as a tree of adders in log2(N) levels
 * (level k adds pairs of level k - 1's sums, in place, as dejfa_first_set selects).
 *
 * Why a block of its own: a loop that counts as it goes (`n += v[i]`) is a serial chain of N
 * adders after Yosys' proc pass; the core's matched-rule count written that way was the whole
 * core's longest LUT path in the first complete synthesis (1,269 cells at 10g, docs/HARDWARE.md
 * "Synthesis"). Used for the core's matched-rule count and the classifier's port and payload-size
 * classes (the number of boundaries at or below a value).
 *
 * Two forms of the same function (dejfa_form.svh): the tree for synthesis, $countones for
 * Verilator. tests/rtl/test_ones.cpp checks both.
 */
module dejfa_ones #(
  /// vector width (a power of two, at least 2)
  parameter int unsigned N = 64,
  /// 1: the simulation form ($countones), 0: the synthesis form (adder tree); dejfa_form.svh
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
  /// count width (derived): 0 .. N
  localparam int unsigned CW = $clog2(N) + 1
) (
  /// the vector
  input  wire logic [N-1:0]  v,
  /// how many bits of v are set
  output logic [CW-1:0]      cnt
);
  initial begin
    if (N < 2 || (N & (N - 1)) != 0) $fatal(1, "dejfa_ones: N must be a power of two >= 2 (%m)");
  end

  if (SIM_FORM != 0) begin : g_count
    // A Verilated model counts a wide vector a 32-bit word at a time (one popcount per word);
    // the tree below is 2N - 1 additions of fields of an N * CW-bit vector.
    always_comb cnt = CW'($countones(v));
  end else begin : g_tree
    always_comb begin : tree
      logic [N*CW-1:0] n;
      for (int i = 0; i < N; i++) n[CW*i +: CW] = CW'(v[i]);
      for (int k = 1; k < CW; k++) begin
        for (int i = 0; i < (N >> k); i++) n[CW*i +: CW] = n[CW*2*i +: CW] + n[CW*(2*i+1) +: CW];
      end
      cnt = n[CW-1:0];
    end
  end
endmodule

`resetall
`default_nettype wire
