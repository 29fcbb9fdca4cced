import { describe, expect, it } from '@jest/globals'
import { InputError, Redactor, redactUrlPasswords, urlCredentials } from '@slipway/kit'

describe('passwords inside URLs that do not parse', () => {
  it('redacts a password holding a slash, which the URL parser rejects', () => {
    const text = `Input 'database-url': expected a URL, got "postgres://u:SECRET/PW@db.internal/app"`
    expect(redactUrlPasswords(text)).toBe(
      `Input 'database-url': expected a URL, got "postgres://u:***@db.internal/app"`
    )
  })

  it('redacts a password holding a raw @, up to the @ before the host', () => {
    expect(redactUrlPasswords('mysql://root:p@ss@db:3306/x')).toBe('mysql://root:***@db:3306/x')
  })

  it('keeps an @ in the path or query after the host', () => {
    expect(redactUrlPasswords('https://u:pw12@host.test/a?mail=a@b.test end')).toBe(
      'https://u:***@host.test/a?mail=a@b.test end'
    )
  })

  it('learns the password of an unparsable URL, so it is removed wherever it appears alone', () => {
    expect(urlCredentials('postgres://u:SECRET/PW@host/db')).toContain('SECRET/PW')
    const redactor = new Redactor()
    redactor.addUrlCredentials('postgres://u:SECRET/PW@host/db')
    expect(redactor.redact('auth failed for password SECRET/PW')).toBe(
      'auth failed for password ***'
    )
  })

  it('an InputError about such a URL reads clean once redacted, as runAction prints it', () => {
    const error = new InputError('database-url', 'a URL', 'postgres://u:SECRET/PW@host/db')
    expect(new Redactor().redact(error.message)).not.toContain('SECRET')
  })
})

describe('secrets in JSON text', () => {
  it('removes a secret whose JSON form is escaped (quotes, backslashes)', () => {
    const redactor = new Redactor()
    redactor.add('to"k\\en-1234')
    const json = JSON.stringify({ header: 'to"k\\en-1234' })
    expect(redactor.redact(json)).toBe('{"header":"***"}')
  })
})
