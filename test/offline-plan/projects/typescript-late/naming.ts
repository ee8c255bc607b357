/** The topic's name in a stack. */
export const topicName = (stack: string): string => `late-events-${stack}`;
