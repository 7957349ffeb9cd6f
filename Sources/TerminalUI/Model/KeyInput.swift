/// A key press, decoded from the terminal (or made by a test).
public enum KeyInput: Sendable, Equatable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter
    case escape
    case backspace
    case resize
}
