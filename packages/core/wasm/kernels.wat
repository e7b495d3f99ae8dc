(module
 (type $0 (func (param i32 i32 i32 i32 i32 i32)))
 (type $1 (func (param i32 i32 i32) (result i32)))
 (type $2 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
 (import "env" "memory" (memory $0 16 65536 shared))
 (export "matmul" (func $assembly/matmul/matmul))
 (export "matmulScratchBytes" (func $assembly/matmul/matmulScratchBytes))
 (func $assembly/matmul/packB (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 v128)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 i32)
  (local $19 i32)
  loop $for-loop|0
   local.get $1
   local.get $10
   i32.gt_s
   if
    local.get $2
    local.get $4
    local.get $10
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $11
    local.get $5
    local.get $0
    local.get $10
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $9
    block $for-continue|0
     local.get $4
     i32.const 1
     i32.eq
     i32.const 8
     local.get $1
     local.get $10
     i32.sub
     local.tee $6
     local.get $6
     i32.const 8
     i32.gt_s
     select
     local.tee $12
     i32.const 8
     i32.eq
     i32.and
     if
      i32.const 0
      local.set $6
      loop $for-loop|1
       local.get $0
       local.get $6
       i32.gt_s
       if
        local.get $9
        local.get $6
        i32.const 5
        i32.shl
        i32.add
        local.tee $7
        local.get $11
        local.get $3
        local.get $6
        i32.mul
        i32.const 2
        i32.shl
        i32.add
        local.tee $12
        v128.load
        v128.store
        local.get $7
        local.get $12
        v128.load offset=16
        v128.store offset=16
        local.get $6
        i32.const 1
        i32.add
        local.set $6
        br $for-loop|1
       end
      end
      br $for-continue|0
     end
     local.get $3
     i32.const 1
     i32.eq
     local.get $12
     i32.const 8
     i32.eq
     i32.and
     if
      i32.const 0
      local.set $6
      loop $for-loop|2
       local.get $6
       i32.const 4
       i32.add
       local.tee $7
       local.get $0
       i32.le_s
       if
        local.get $9
        local.get $6
        i32.const 5
        i32.shl
        i32.add
        local.tee $12
        local.get $6
        i32.const 2
        i32.shl
        local.tee $6
        local.get $11
        i32.add
        v128.load
        local.tee $8
        local.get $6
        local.get $11
        local.get $4
        i32.const 2
        i32.shl
        i32.add
        i32.add
        v128.load
        local.tee $13
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $14
        local.get $6
        local.get $11
        local.get $4
        i32.const 3
        i32.shl
        i32.add
        i32.add
        v128.load
        local.tee $15
        local.get $6
        local.get $11
        local.get $4
        i32.const 12
        i32.mul
        i32.add
        i32.add
        v128.load
        local.tee $16
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $17
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store
        local.get $12
        local.get $14
        local.get $17
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=32
        local.get $12
        i32.const -64
        i32.sub
        local.get $8
        local.get $13
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $8
        local.get $15
        local.get $16
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $13
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store
        local.get $12
        local.get $8
        local.get $13
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=96
        local.get $12
        i32.const 16
        i32.add
        local.tee $12
        local.get $6
        local.get $11
        local.get $4
        i32.const 4
        i32.shl
        i32.add
        i32.add
        v128.load
        local.tee $8
        local.get $6
        local.get $11
        local.get $4
        i32.const 20
        i32.mul
        i32.add
        i32.add
        v128.load
        local.tee $13
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $14
        local.get $6
        local.get $11
        local.get $4
        i32.const 24
        i32.mul
        i32.add
        i32.add
        v128.load
        local.tee $15
        local.get $6
        local.get $11
        local.get $4
        i32.const 28
        i32.mul
        i32.add
        i32.add
        v128.load
        local.tee $16
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $17
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store
        local.get $12
        local.get $14
        local.get $17
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=32
        local.get $12
        i32.const -64
        i32.sub
        local.get $8
        local.get $13
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $8
        local.get $15
        local.get $16
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $13
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store
        local.get $12
        local.get $8
        local.get $13
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=96
        local.get $7
        local.set $6
        br $for-loop|2
       end
      end
      loop $for-loop|3
       local.get $0
       local.get $6
       i32.gt_s
       if
        local.get $9
        local.get $6
        i32.const 5
        i32.shl
        i32.add
        local.set $12
        i32.const 0
        local.set $7
        loop $for-loop|4
         local.get $7
         i32.const 8
         i32.lt_s
         if
          local.get $12
          local.get $7
          i32.const 2
          i32.shl
          i32.add
          local.get $11
          local.get $6
          local.get $4
          local.get $7
          i32.mul
          i32.add
          i32.const 2
          i32.shl
          i32.add
          f32.load
          f32.store
          local.get $7
          i32.const 1
          i32.add
          local.set $7
          br $for-loop|4
         end
        end
        local.get $6
        i32.const 1
        i32.add
        local.set $6
        br $for-loop|3
       end
      end
      br $for-continue|0
     end
     i32.const 0
     local.set $7
     loop $for-loop|5
      local.get $0
      local.get $7
      i32.gt_s
      if
       local.get $9
       local.get $7
       i32.const 5
       i32.shl
       i32.add
       local.set $18
       local.get $11
       local.get $3
       local.get $7
       i32.mul
       i32.const 2
       i32.shl
       i32.add
       local.set $19
       i32.const 0
       local.set $6
       loop $for-loop|6
        local.get $6
        i32.const 8
        i32.lt_s
        if
         local.get $18
         local.get $6
         i32.const 2
         i32.shl
         i32.add
         local.get $6
         local.get $12
         i32.lt_s
         if (result f32)
          local.get $19
          local.get $4
          local.get $6
          i32.mul
          i32.const 2
          i32.shl
          i32.add
          f32.load
         else
          f32.const 0
         end
         f32.store
         local.get $6
         i32.const 1
         i32.add
         local.set $6
         br $for-loop|6
        end
       end
       local.get $7
       i32.const 1
       i32.add
       local.set $7
       br $for-loop|5
      end
     end
    end
    local.get $10
    i32.const 8
    i32.add
    local.set $10
    br $for-loop|0
   end
  end
 )
 (func $assembly/matmul/packA (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 v128)
  (local $9 i32)
  (local $10 v128)
  (local $11 v128)
  (local $12 v128)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 v128)
  (local $20 v128)
  loop $for-loop|0
   local.get $0
   local.get $14
   i32.gt_s
   if
    local.get $2
    local.get $3
    local.get $14
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $15
    local.get $5
    local.get $1
    local.get $14
    i32.mul
    i32.const 2
    i32.shl
    i32.add
    local.set $13
    block $for-continue|0
     local.get $3
     i32.const 1
     i32.eq
     i32.const 4
     local.get $0
     local.get $14
     i32.sub
     local.tee $6
     local.get $6
     i32.const 4
     i32.gt_s
     select
     local.tee $9
     i32.const 4
     i32.eq
     i32.and
     if
      i32.const 0
      local.set $6
      loop $for-loop|1
       local.get $1
       local.get $6
       i32.gt_s
       if
        local.get $13
        local.get $6
        i32.const 4
        i32.shl
        i32.add
        local.get $15
        local.get $4
        local.get $6
        i32.mul
        i32.const 2
        i32.shl
        i32.add
        v128.load
        v128.store
        local.get $6
        i32.const 1
        i32.add
        local.set $6
        br $for-loop|1
       end
      end
      br $for-continue|0
     end
     local.get $4
     i32.const 1
     i32.eq
     local.get $9
     i32.const 4
     i32.eq
     i32.and
     if
      local.get $15
      local.get $3
      i32.const 2
      i32.shl
      i32.add
      local.set $9
      local.get $15
      local.get $3
      i32.const 3
      i32.shl
      i32.add
      local.set $16
      local.get $15
      local.get $3
      i32.const 12
      i32.mul
      i32.add
      local.set $17
      i32.const 0
      local.set $6
      loop $for-loop|2
       local.get $6
       i32.const 4
       i32.add
       local.tee $7
       local.get $1
       i32.le_s
       if
        local.get $13
        local.get $6
        i32.const 4
        i32.shl
        i32.add
        local.tee $18
        local.get $6
        i32.const 2
        i32.shl
        local.tee $6
        local.get $15
        i32.add
        v128.load
        local.tee $12
        local.get $6
        local.get $9
        i32.add
        v128.load
        local.tee $11
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $19
        local.get $6
        local.get $16
        i32.add
        v128.load
        local.tee $10
        local.get $6
        local.get $17
        i32.add
        v128.load
        local.tee $8
        i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        local.tee $20
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store
        local.get $18
        local.get $19
        local.get $20
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=16
        local.get $18
        local.get $12
        local.get $11
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $11
        local.get $10
        local.get $8
        i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        local.tee $8
        i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        v128.store offset=32
        local.get $18
        local.get $11
        local.get $8
        i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
        v128.store offset=48
        local.get $7
        local.set $6
        br $for-loop|2
       end
      end
      loop $for-loop|3
       local.get $1
       local.get $6
       i32.gt_s
       if
        local.get $13
        local.get $6
        i32.const 4
        i32.shl
        i32.add
        local.tee $7
        local.get $6
        i32.const 2
        i32.shl
        local.tee $18
        local.get $15
        i32.add
        f32.load
        f32.store
        local.get $7
        local.get $9
        local.get $18
        i32.add
        f32.load
        f32.store offset=4
        local.get $7
        local.get $16
        local.get $18
        i32.add
        f32.load
        f32.store offset=8
        local.get $7
        local.get $17
        local.get $18
        i32.add
        f32.load
        f32.store offset=12
        local.get $6
        i32.const 1
        i32.add
        local.set $6
        br $for-loop|3
       end
      end
      br $for-continue|0
     end
     i32.const 0
     local.set $7
     loop $for-loop|4
      local.get $1
      local.get $7
      i32.gt_s
      if
       local.get $13
       local.get $7
       i32.const 4
       i32.shl
       i32.add
       local.set $16
       local.get $15
       local.get $4
       local.get $7
       i32.mul
       i32.const 2
       i32.shl
       i32.add
       local.set $17
       i32.const 0
       local.set $6
       loop $for-loop|5
        local.get $6
        i32.const 4
        i32.lt_s
        if
         local.get $16
         local.get $6
         i32.const 2
         i32.shl
         i32.add
         local.get $6
         local.get $9
         i32.lt_s
         if (result f32)
          local.get $17
          local.get $3
          local.get $6
          i32.mul
          i32.const 2
          i32.shl
          i32.add
          f32.load
         else
          f32.const 0
         end
         f32.store
         local.get $6
         i32.const 1
         i32.add
         local.set $6
         br $for-loop|5
        end
       end
       local.get $7
       i32.const 1
       i32.add
       local.set $7
       br $for-loop|4
      end
     end
    end
    local.get $14
    i32.const 4
    i32.add
    local.set $14
    br $for-loop|0
   end
  end
 )
 (func $assembly/matmul/matmulScratchBytes (param $0 i32) (param $1 i32) (param $2 i32) (result i32)
  i32.const 256
  local.get $2
  local.get $2
  i32.const 256
  i32.ge_s
  select
  local.tee $2
  i32.const 128
  local.get $0
  local.get $0
  i32.const 128
  i32.ge_s
  select
  i32.const 3
  i32.add
  i32.const 4
  i32.div_s
  i32.const 2
  i32.shl
  i32.mul
  i32.const 2048
  local.get $1
  local.get $1
  i32.const 2048
  i32.ge_s
  select
  i32.const 7
  i32.add
  i32.const 8
  i32.div_s
  i32.const 3
  i32.shl
  local.get $2
  i32.mul
  i32.add
  i32.const 2
  i32.shl
  i32.const 128
  i32.add
 )
 (func $assembly/matmul/matmul (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32) (param $8 i32) (param $9 i32) (param $10 i32) (param $11 i32)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 v128)
  (local $17 v128)
  (local $18 i32)
  (local $19 f32)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 i32)
  (local $24 i32)
  (local $25 v128)
  (local $26 i32)
  (local $27 i32)
  (local $28 i32)
  (local $29 i32)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 i32)
  (local $38 i32)
  (local $39 i32)
  (local $40 i32)
  (local $41 v128)
  (local $42 i32)
  (local $43 i32)
  (local $44 i32)
  local.get $1
  i32.const 0
  i32.le_s
  local.get $0
  i32.const 0
  i32.le_s
  i32.or
  if
   return
  end
  local.get $1
  i32.const 2
  i32.shl
  local.set $40
  local.get $2
  i32.const 0
  i32.le_s
  if
   local.get $10
   i32.eqz
   if
    local.get $9
    i32.const 0
    local.get $0
    local.get $40
    i32.mul
    memory.fill
   end
   return
  end
  local.get $11
  i32.const 128
  i32.add
  local.tee $24
  i32.const 128
  local.get $0
  local.get $0
  i32.const 128
  i32.ge_s
  select
  i32.const 3
  i32.add
  i32.const 4
  i32.div_s
  i32.const 2
  i32.shl
  i32.const 256
  local.get $2
  local.get $2
  i32.const 256
  i32.ge_s
  select
  i32.mul
  i32.const 2
  i32.shl
  i32.add
  local.set $23
  loop $for-loop|0
   local.get $1
   local.get $29
   i32.gt_s
   if
    i32.const 2048
    local.get $1
    local.get $29
    i32.sub
    local.tee $12
    local.get $12
    i32.const 2048
    i32.gt_s
    select
    local.set $26
    i32.const 0
    local.set $42
    loop $for-loop|1
     local.get $2
     local.get $42
     i32.gt_s
     if
      i32.const 256
      local.get $2
      local.get $42
      i32.sub
      local.tee $12
      local.get $12
      i32.const 256
      i32.gt_s
      select
      local.tee $27
      local.get $26
      local.get $6
      local.get $7
      local.get $42
      i32.mul
      local.get $8
      local.get $29
      i32.mul
      i32.add
      i32.const 2
      i32.shl
      i32.add
      local.get $7
      local.get $8
      local.get $23
      call $assembly/matmul/packB
      local.get $10
      local.get $42
      i32.const 0
      i32.gt_s
      local.get $10
      select
      local.set $28
      i32.const 0
      local.set $39
      loop $for-loop|2
       local.get $0
       local.get $39
       i32.gt_s
       if
        i32.const 128
        local.get $0
        local.get $39
        i32.sub
        local.tee $12
        local.get $12
        i32.const 128
        i32.gt_s
        select
        local.tee $22
        local.get $27
        local.get $3
        local.get $4
        local.get $39
        i32.mul
        local.get $5
        local.get $42
        i32.mul
        i32.add
        i32.const 2
        i32.shl
        i32.add
        local.get $4
        local.get $5
        local.get $24
        call $assembly/matmul/packA
        i32.const 0
        local.set $38
        loop $for-loop|3
         local.get $26
         local.get $38
         i32.gt_s
         if
          i32.const 8
          local.get $26
          local.get $38
          i32.sub
          local.tee $12
          local.get $12
          i32.const 8
          i32.gt_s
          select
          local.set $21
          local.get $23
          local.get $27
          local.get $38
          i32.mul
          i32.const 2
          i32.shl
          i32.add
          local.set $12
          i32.const 0
          local.set $37
          loop $for-loop|4
           local.get $22
           local.get $37
           i32.gt_s
           if
            local.get $24
            local.get $27
            local.get $37
            i32.mul
            i32.const 2
            i32.shl
            i32.add
            local.set $43
            local.get $12
            local.set $13
            local.get $9
            local.get $37
            local.get $39
            i32.add
            local.get $40
            i32.mul
            i32.add
            local.get $29
            local.get $38
            i32.add
            i32.const 2
            i32.shl
            i32.add
            local.set $44
            i32.const 4
            local.get $22
            local.get $37
            i32.sub
            local.tee $14
            local.get $14
            i32.const 4
            i32.gt_s
            select
            local.set $20
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $41
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $36
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $35
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $34
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $33
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $32
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $31
            v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
            local.set $30
            i32.const 0
            local.set $14
            loop $for-loop|5
             local.get $14
             local.get $27
             i32.lt_s
             if
              local.get $43
              v128.load32_splat
              local.tee $16
              local.get $13
              v128.load
              local.tee $25
              f32x4.mul
              local.get $41
              f32x4.add
              local.set $41
              local.get $16
              local.get $13
              v128.load offset=16
              local.tee $17
              f32x4.mul
              local.get $36
              f32x4.add
              local.set $36
              local.get $43
              v128.load32_splat offset=4
              local.tee $16
              local.get $25
              f32x4.mul
              local.get $35
              f32x4.add
              local.set $35
              local.get $16
              local.get $17
              f32x4.mul
              local.get $34
              f32x4.add
              local.set $34
              local.get $43
              v128.load32_splat offset=8
              local.tee $16
              local.get $25
              f32x4.mul
              local.get $33
              f32x4.add
              local.set $33
              local.get $16
              local.get $17
              f32x4.mul
              local.get $32
              f32x4.add
              local.set $32
              local.get $43
              v128.load32_splat offset=12
              local.tee $16
              local.get $25
              f32x4.mul
              local.get $31
              f32x4.add
              local.set $31
              local.get $16
              local.get $17
              f32x4.mul
              local.get $30
              f32x4.add
              local.set $30
              local.get $43
              i32.const 16
              i32.add
              local.set $43
              local.get $13
              i32.const 32
              i32.add
              local.set $13
              local.get $14
              i32.const 1
              i32.add
              local.set $14
              br $for-loop|5
             end
            end
            block $assembly/matmul/micro|inlined.0
             local.get $21
             i32.const 8
             i32.eq
             local.get $20
             i32.const 4
             i32.eq
             i32.and
             if
              local.get $44
              local.get $28
              if (result v128)
               local.get $44
               v128.load offset=16
               local.get $36
               f32x4.add
               local.set $36
               local.get $44
               v128.load
               local.get $41
               f32x4.add
              else
               local.get $41
              end
              v128.store
              local.get $44
              local.get $36
              v128.store offset=16
              local.get $40
              local.get $44
              i32.add
              local.tee $13
              local.get $28
              if (result v128)
               local.get $13
               v128.load offset=16
               local.get $34
               f32x4.add
               local.set $34
               local.get $13
               v128.load
               local.get $35
               f32x4.add
              else
               local.get $35
              end
              v128.store
              local.get $13
              local.get $34
              v128.store offset=16
              local.get $44
              local.get $40
              i32.const 1
              i32.shl
              i32.add
              local.tee $13
              local.get $28
              if (result v128)
               local.get $13
               v128.load offset=16
               local.get $32
               f32x4.add
               local.set $32
               local.get $13
               v128.load
               local.get $33
               f32x4.add
              else
               local.get $33
              end
              v128.store
              local.get $13
              local.get $32
              v128.store offset=16
              local.get $44
              local.get $40
              i32.const 3
              i32.mul
              i32.add
              local.tee $13
              local.get $28
              if (result v128)
               local.get $13
               v128.load offset=16
               local.get $30
               f32x4.add
               local.set $30
               local.get $13
               v128.load
               local.get $31
               f32x4.add
              else
               local.get $31
              end
              v128.store
              local.get $13
              local.get $30
              v128.store offset=16
              br $assembly/matmul/micro|inlined.0
             end
             local.get $11
             local.get $41
             v128.store
             local.get $11
             local.get $36
             v128.store offset=16
             local.get $11
             local.get $35
             v128.store offset=32
             local.get $11
             local.get $34
             v128.store offset=48
             local.get $11
             local.get $33
             v128.store offset=64
             local.get $11
             local.get $32
             v128.store offset=80
             local.get $11
             local.get $31
             v128.store offset=96
             local.get $11
             local.get $30
             v128.store offset=112
             i32.const 0
             local.set $43
             loop $for-loop|6
              local.get $20
              local.get $43
              i32.gt_s
              if
               local.get $11
               local.get $43
               i32.const 5
               i32.shl
               i32.add
               local.set $15
               local.get $44
               local.get $40
               local.get $43
               i32.mul
               i32.add
               local.set $18
               i32.const 0
               local.set $13
               loop $for-loop|7
                local.get $13
                local.get $21
                i32.lt_s
                if
                 local.get $15
                 local.get $13
                 i32.const 2
                 i32.shl
                 local.tee $14
                 i32.add
                 f32.load
                 local.set $19
                 local.get $14
                 local.get $18
                 i32.add
                 local.tee $14
                 local.get $28
                 if (result f32)
                  local.get $14
                  f32.load
                  local.get $19
                  f32.add
                 else
                  local.get $19
                 end
                 f32.store
                 local.get $13
                 i32.const 1
                 i32.add
                 local.set $13
                 br $for-loop|7
                end
               end
               local.get $43
               i32.const 1
               i32.add
               local.set $43
               br $for-loop|6
              end
             end
            end
            local.get $37
            i32.const 4
            i32.add
            local.set $37
            br $for-loop|4
           end
          end
          local.get $38
          i32.const 8
          i32.add
          local.set $38
          br $for-loop|3
         end
        end
        local.get $39
        i32.const 128
        i32.add
        local.set $39
        br $for-loop|2
       end
      end
      local.get $42
      i32.const 256
      i32.add
      local.set $42
      br $for-loop|1
     end
    end
    local.get $29
    i32.const 2048
    i32.add
    local.set $29
    br $for-loop|0
   end
  end
 )
)
