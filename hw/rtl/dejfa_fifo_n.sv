// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_fifo_n: a FIFO that takes up to N entries a cycle and shows its oldest N (issue #25;
 * docs/HARDWARE.md "Expansion"). N interleaved sub-FIFOs of DEPTH entries in LUTRAM: the k-th
 * entry written in a cycle goes to sub-FIFO (tail + k) mod N and the k-th visible entry is read
 * from sub-FIFO (head + k) mod N, so every sub-FIFO takes and gives at most one entry a cycle.
 * Writes are compact (entries 0 .. in_n - 1 of in_data); the reader pops a prefix of what it
 * sees (pop_n at most count). Written and read entries appear in out_data and count the next
 * cycle. dejfa_anchor_expand's short ranges (N = E, DEPTH 4) and its merged queue of the current
 * frames' ranges (N = E, DEPTH 16).
 */
module dejfa_fifo_n #(
  /// entries a cycle in and out, a power of two >= 2
  parameter int unsigned N = 8,
  /// entries of each sub-FIFO, a power of two >= 2 (N x DEPTH in all)
  parameter int unsigned DEPTH = 16,
  parameter int unsigned WIDTH = 8,
  localparam int unsigned NW = $clog2(N + 1),
  localparam int unsigned CW = $clog2(N * DEPTH + 1)
) (
  input  wire logic               clk,
  input  wire logic               rst,
  /// entries 0 .. in_n - 1 of in_data are pushed (entry k in bits WIDTH*k+WIDTH-1..WIDTH*k)
  input  wire logic [NW-1:0]      in_n,
  input  wire logic [N*WIDTH-1:0] in_data,
  /// the first pop_n entries of out_data leave (at most count)
  input  wire logic [NW-1:0]      pop_n,
  /// the oldest N entries, entry 0 the oldest; entry k is one only if k < count
  output logic [N*WIDTH-1:0]      out_data,
  /// entries held
  output logic [CW-1:0]           count
);
  localparam int unsigned IW = $clog2(N);
  localparam int unsigned DW = $clog2(DEPTH);

  initial begin
    if (N < 2 || (1 << IW) != N) $fatal(1, "dejfa_fifo_n: N must be a power of two >= 2 (%m)");
    if (DEPTH < 2 || (1 << DW) != DEPTH) $fatal(1, "dejfa_fifo_n: DEPTH must be a power of two >= 2 (%m)");
  end

  logic [IW-1:0]    tl_q, hd_q;          // sub-FIFO written next; the oldest entry's
  logic [CW-1:0]    cnt_q;
  logic [WIDTH-1:0] rd [N];
  for (genvar j = 0; j < N; j++) begin : g_sub
    (* ram_style = "distributed" *) logic [WIDTH-1:0] mem [DEPTH];
    logic [DW-1:0] wp_q, rp_q;
    logic [IW-1:0] k;                    // the cycle's entry this sub-FIFO takes
    logic [IW-1:0] v;                    // its place among the visible
    assign k = IW'(j) - tl_q;
    assign v = IW'(j) - hd_q;
    always_ff @(posedge clk) begin
      if (NW'(k) < in_n) begin
        mem[wp_q] <= in_data[WIDTH*k +: WIDTH];
        wp_q <= wp_q + 1'b1;
      end
      if (NW'(v) < pop_n) rp_q <= rp_q + 1'b1;
      if (rst) begin
        wp_q <= '0;
        rp_q <= '0;
      end
    end
    assign rd[j] = mem[rp_q];
  end
  // (the visible entries' sub-FIFOs, head + k, kept in registers: no add between a register and
  // the read, which at 100g starts dejfa_anchor_expand's allocation loop)
  logic [IW-1:0] hk_q [N];
  always_comb begin
    for (int unsigned k = 0; k < N; k++) out_data[WIDTH*k +: WIDTH] = rd[hk_q[k]];
  end
  always_ff @(posedge clk) begin
    tl_q <= tl_q + IW'(in_n);
    hd_q <= hd_q + IW'(pop_n);
    for (int unsigned k = 0; k < N; k++) hk_q[k] <= hk_q[k] + IW'(pop_n);
    cnt_q <= cnt_q + CW'(in_n) - CW'(pop_n);
    if (rst) begin
      tl_q <= '0;
      hd_q <= '0;
      for (int unsigned k = 0; k < N; k++) hk_q[k] <= IW'(k);
      cnt_q <= '0;
    end
  end
  assign count = cnt_q;

  `DEJFA_ASSERT(InAtMostN_A, in_n <= NW'(N), clk, rst)
  `DEJFA_ASSERT(PopOnlyHeld_A, CW'(pop_n) <= cnt_q, clk, rst)
  `DEJFA_ASSERT(Fits_A, cnt_q + CW'(in_n) - CW'(pop_n) <= CW'(N * DEPTH), clk, rst)
endmodule

`resetall
`default_nettype wire
