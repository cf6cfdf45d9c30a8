import { ApiError } from '../http/problem.js';

/**
 * The password policy (issue 14): at least 12 characters, and not guessable: zxcvbn's estimate (zxcvbn-ts, with
 * its list of common and breached passwords, offline) must reach 3 of 4, counting the user's own e-mail and
 * name as guessable words. The reason is given in both languages. The dictionaries load on first use.
 */
export const PASSWORD_MIN_LENGTH = 12;
const MIN_SCORE = 3;

type Checker = (password: string, userInputs: string[]) => { score: number; warning: string | null };
let checker: Promise<Checker> | undefined;

function loadChecker(): Promise<Checker> {
  return (checker ??= (async () => {
    const { ZxcvbnFactory } = await import('@zxcvbn-ts/core');
    const common = await import('@zxcvbn-ts/language-common');
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary },
      graphs: common.adjacencyGraphs,
    });
    return (password: string, userInputs: string[]) => {
      const result = factory.check(password, userInputs);
      return { score: result.score, warning: result.feedback.warning };
    };
  })());
}

const reasons: Record<string, { en: string; ko: string }> = {
  common: {
    en: 'This password is among the most common ones.',
    ko: '가장 흔히 쓰이는 비밀번호 중 하나입니다.',
  },
  commonNames: { en: 'Common names are easy to guess.', ko: '흔한 이름은 추측하기 쉽습니다.' },
  similarToCommon: {
    en: 'This is close to a commonly used password.',
    ko: '흔히 쓰이는 비밀번호와 비슷합니다.',
  },
  simpleRepeat: {
    en: 'Repeated characters like "aaa" are easy to guess.',
    ko: '"aaa"처럼 반복되는 문자는 추측하기 쉽습니다.',
  },
  extendedRepeat: {
    en: 'Repeated patterns like "abcabc" are easy to guess.',
    ko: '"abcabc"처럼 반복되는 패턴은 추측하기 쉽습니다.',
  },
  sequences: {
    en: 'Sequences like "abc" or "1234" are easy to guess.',
    ko: '"abc"나 "1234" 같은 연속된 문자는 추측하기 쉽습니다.',
  },
  keyPattern: {
    en: 'Keyboard patterns like "qwerty" are easy to guess.',
    ko: '"qwerty" 같은 자판 배열은 추측하기 쉽습니다.',
  },
  dates: { en: 'Dates are easy to guess.', ko: '날짜는 추측하기 쉽습니다.' },
  recentYears: { en: 'Recent years are easy to guess.', ko: '최근 연도는 추측하기 쉽습니다.' },
  userInputs: {
    en: 'The password contains your name or e-mail address.',
    ko: '비밀번호에 이름이나 이메일 주소가 들어 있습니다.',
  },
};

export interface PasswordVerdict {
  ok: boolean;
  messages?: { en: string; ko: string };
}

export async function judgePassword(password: string, userInputs: string[] = []): Promise<PasswordVerdict> {
  if ([...password].length < PASSWORD_MIN_LENGTH)
    return {
      ok: false,
      messages: {
        en: `Use at least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words make a strong, memorable password.`,
        ko: `${PASSWORD_MIN_LENGTH}자 이상으로 하세요. 서로 관계없는 단어 몇 개를 이으면 기억하기 쉬운 강한 비밀번호가 됩니다.`,
      },
    };
  const inputs = userInputs.flatMap((v) => [v, ...v.split(/[@.\s_-]+/)]).filter((v) => v.length >= 3);
  const { score, warning } = (await loadChecker())(password, inputs);
  if (score >= MIN_SCORE) return { ok: true };
  const reason = (warning && reasons[warning]) || {
    en: 'This password is too easy to guess.',
    ko: '추측하기 쉬운 비밀번호입니다.',
  };
  return {
    ok: false,
    messages: {
      en: `${reason.en} Add another word or two that are not about you.`,
      ko: `${reason.ko} 본인과 관계없는 단어를 한두 개 더 넣으세요.`,
    },
  };
}

/** Throws a 400 problem naming the field when the password does not meet the policy. */
export async function requireStrongPassword(
  password: string,
  userInputs: string[],
  path = 'password',
): Promise<void> {
  const verdict = await judgePassword(password, userInputs);
  if (verdict.ok) return;
  throw new ApiError('request.invalid', {
    errors: [{ path, code: 'weak_password', message: verdict.messages!.en, messages: verdict.messages! }],
  });
}
