extension ExecutableModel {
  /// Runs compiled code from `entry` over a packed state.
  ///
  /// Reads and writes go straight to `state` with shift and mask; effects run on the
  /// successor's copy of the state, so later statements see earlier writes. Arithmetic is on
  /// 64-bit `Int` and wraps on overflow (the IR's domains are small; an out-of-domain result
  /// is caught when it is stored).
  ///
  /// - Returns: the value on top of the stack at `returnValue` (0 at `halt`), or nil on a
  ///   model error, described by `fault`.
  /// - Complexity: O(instructions executed); never allocates.
  @inline(__always)
  mutating func evaluate(_ entry: Int, _ state: UnsafeMutablePointer<UInt64>) -> Int? {
    var ip = entry
    var sp = stack  // next free cell
    while true {
      let instruction = code[ip]
      ip &+= 1
      switch instruction.opcode {
      case .push:
        sp.pointee = instruction.immediate
        sp += 1
      case .load:
        let bits = state[Int(instruction.a)] &>> UInt64(instruction.shift)
        let mask = UInt64.max &>> (64 &- UInt64(instruction.width))
        sp.pointee = Int(bitPattern: UInt(bits & mask)) &+ instruction.immediate
        sp += 1
      case .loadEqual, .loadNotEqual, .loadLess, .loadLessEqual, .loadGreater,
        .loadGreaterEqual:
        sp.pointee = instruction.compare(state) ? 1 : 0
        sp += 1
      case .addImmediate:
        sp[-1] = sp[-1] &+ instruction.immediate
      case .increment:
        let slot = slots[Int(instruction.a)]
        let value = slot.read(state) &+ instruction.immediate
        guard slot.contains(value) else {
          fault = ModelFault(kind: .valueOutOfRange(variable: Int(instruction.a)), value: value)
          return nil
        }
        slot.write(value, state)
      case .loadElement:
        let array = arrays[Int(instruction.a)]
        let index = sp[-1]
        guard UInt(bitPattern: index) < UInt(array.count) else {
          fault = ModelFault(kind: .indexOutOfRange(array: Int(instruction.a)), value: index)
          return nil
        }
        let variable = Int(elementVariables[Int(array.start) &+ index])
        sp[-1] = slots[variable].read(state)
      case .loadElementAt:
        let array = arrays[Int(instruction.a)]
        let index = slots[instruction.immediate].read(state)
        guard UInt(bitPattern: index) < UInt(array.count) else {
          fault = ModelFault(kind: .indexOutOfRange(array: Int(instruction.a)), value: index)
          return nil
        }
        let variable = Int(elementVariables[Int(array.start) &+ index])
        sp.pointee = slots[variable].read(state)
        sp += 1
      case .not:
        sp[-1] = sp[-1] == 0 ? 1 : 0
      case .negate:
        sp[-1] = 0 &- sp[-1]
      case .complement:
        sp[-1] = ~sp[-1]
      case .add:
        sp -= 1
        sp[-1] = sp[-1] &+ sp.pointee
      case .sub:
        sp -= 1
        sp[-1] = sp[-1] &- sp.pointee
      case .mul:
        sp -= 1
        sp[-1] = sp[-1] &* sp.pointee
      case .div, .mod:
        sp -= 1
        let divisor = sp.pointee
        guard divisor != 0 else {
          let kind: ModelFault.Kind =
            instruction.opcode == .div ? .divisionByZero : .moduloByZero
          fault = ModelFault(kind: kind, value: sp[-1])
          return nil
        }
        sp[-1] =
          instruction.opcode == .div
          ? sp[-1].dividedReportingOverflow(by: divisor).partialValue
          : sp[-1].remainderReportingOverflow(dividingBy: divisor).partialValue
      case .bitAnd:
        sp -= 1
        sp[-1] = sp[-1] & sp.pointee
      case .bitOr:
        sp -= 1
        sp[-1] = sp[-1] | sp.pointee
      case .bitXor:
        sp -= 1
        sp[-1] = sp[-1] ^ sp.pointee
      case .equal:
        sp -= 1
        sp[-1] = sp[-1] == sp.pointee ? 1 : 0
      case .notEqual:
        sp -= 1
        sp[-1] = sp[-1] != sp.pointee ? 1 : 0
      case .less:
        sp -= 1
        sp[-1] = sp[-1] < sp.pointee ? 1 : 0
      case .lessEqual:
        sp -= 1
        sp[-1] = sp[-1] <= sp.pointee ? 1 : 0
      case .greater:
        sp -= 1
        sp[-1] = sp[-1] > sp.pointee ? 1 : 0
      case .greaterEqual:
        sp -= 1
        sp[-1] = sp[-1] >= sp.pointee ? 1 : 0
      case .jump:
        ip = Int(instruction.a)
      case .jumpIfFalse:
        sp -= 1
        if sp.pointee == 0 { ip = Int(instruction.a) }
      case .jumpIfTrue:
        sp -= 1
        if sp.pointee != 0 { ip = Int(instruction.a) }
      case .jumpIfCompare:
        if code[ip].compare(state) { ip = Int(instruction.a) } else { ip &+= 1 }
      case .jumpUnlessCompare:
        if code[ip].compare(state) { ip &+= 1 } else { ip = Int(instruction.a) }
      case .jumpIfEqual:
        if instruction.slotBits(state) == instruction.foldedConstant {
          ip = instruction.foldedTarget
        } else {
          ip &+= 1
        }
      case .jumpIfNotEqual:
        if instruction.slotBits(state) != instruction.foldedConstant {
          ip = instruction.foldedTarget
        } else {
          ip &+= 1
        }
      case .jumpIfLess:
        if instruction.slotBits(state) < instruction.foldedConstant {
          ip = instruction.foldedTarget
        } else {
          ip &+= 1
        }
      case .jumpIfLessEqual:
        if instruction.slotBits(state) <= instruction.foldedConstant {
          ip = instruction.foldedTarget
        } else {
          ip &+= 1
        }
      case .jumpIfGreater:
        if instruction.slotBits(state) > instruction.foldedConstant {
          ip = instruction.foldedTarget
        } else {
          ip &+= 1
        }
      case .jumpIfGreaterEqual:
        if instruction.slotBits(state) >= instruction.foldedConstant {
          ip = instruction.foldedTarget
        } else {
          ip &+= 1
        }
      case .jumpIfEqualValues:
        sp -= 2
        if sp.pointee == sp[1] { ip = Int(instruction.a) }
      case .jumpIfNotEqualValues:
        sp -= 2
        if sp.pointee != sp[1] { ip = Int(instruction.a) }
      case .jumpIfLessValues:
        sp -= 2
        if sp.pointee < sp[1] { ip = Int(instruction.a) }
      case .jumpIfLessEqualValues:
        sp -= 2
        if sp.pointee <= sp[1] { ip = Int(instruction.a) }
      case .jumpIfGreaterValues:
        sp -= 2
        if sp.pointee > sp[1] { ip = Int(instruction.a) }
      case .jumpIfGreaterEqualValues:
        sp -= 2
        if sp.pointee >= sp[1] { ip = Int(instruction.a) }
      case .jumpIfFalseOrPop:
        if sp[-1] == 0 { ip = Int(instruction.a) } else { sp -= 1 }
      case .jumpIfTrueOrPop:
        if sp[-1] != 0 { ip = Int(instruction.a) } else { sp -= 1 }
      case .store:
        sp -= 1
        let value = sp.pointee
        let slot = slots[Int(instruction.a)]
        guard slot.contains(value) else {
          fault = ModelFault(kind: .valueOutOfRange(variable: Int(instruction.a)), value: value)
          return nil
        }
        slot.write(value, state)
      case .storeConstant:
        let w = Int(instruction.a)
        let shift = UInt64(instruction.shift)
        let mask = (UInt64.max &>> (64 &- UInt64(instruction.width))) &<< shift
        let bits = UInt64(UInt(bitPattern: instruction.immediate)) &<< shift
        state[w] = (state[w] & ~mask) | bits
      case .storeMasked:
        let w = Int(instruction.a)
        let k = instruction.immediate &* 2
        state[w] = (state[w] & ~maskedWrites[k]) | maskedWrites[k &+ 1]
      case .copy:
        let value = slots[instruction.immediate].read(state)
        slots[Int(instruction.a)].write(value, state)
      case .copyChecked:
        let value = slots[instruction.immediate].read(state)
        let slot = slots[Int(instruction.a)]
        guard slot.contains(value) else {
          fault = ModelFault(kind: .valueOutOfRange(variable: Int(instruction.a)), value: value)
          return nil
        }
        slot.write(value, state)
      case .storeElement:
        sp -= 2
        let index = sp.pointee
        let value = sp[1]
        let array = arrays[Int(instruction.a)]
        guard UInt(bitPattern: index) < UInt(array.count) else {
          fault = ModelFault(kind: .indexOutOfRange(array: Int(instruction.a)), value: index)
          return nil
        }
        let variable = Int(elementVariables[Int(array.start) &+ index])
        let slot = slots[variable]
        guard slot.contains(value) else {
          fault = ModelFault(kind: .valueOutOfRange(variable: variable), value: value)
          return nil
        }
        slot.write(value, state)
      case .assert:
        sp -= 1
        if sp.pointee == 0 {
          fault = ModelFault(kind: .assertionFailed(message: Int(instruction.a)))
          return nil
        }
      case .returnValue:
        return sp[-1]
      case .returnConstant:
        return instruction.immediate
      case .halt:
        return 0
      }
    }
  }
}
